package io.jobstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import io.jobstream.core.streams.StreamsProperties;

/** The service starts and reports healthy; nothing connects to Kafka yet, so no broker is needed. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EmbeddingProcessorApplicationTest {

    @LocalServerPort
    private int port;

    @Autowired
    private StreamsProperties streamsProperties;

    @Test
    void answersHealthUp() {
        ResponseEntity<Map<String, Object>> health = RestClient.create("http://localhost:" + port)
                .get()
                .uri("/actuator/health")
                .retrieve()
                .toEntity(new ParameterizedTypeReference<>() {});

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).containsEntry("status", "UP");
    }

    @Test
    void runsAsItsOwnStreamsApplication() {
        assertThat(streamsProperties.applicationId()).isEqualTo("embedding-processor");
    }
}
