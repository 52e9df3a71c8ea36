package io.jobstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With Redis configured but unreachable, the processor keeps working on local buckets and says DEGRADED. */
class RateLimitHealthIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dataDir;

    @Test
    void unreachableRedisIsReportedAsDegraded() throws Exception {
        try (EmbeddingProcessorInstance processor = EmbeddingProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.rate-limits.redis-url=redis://127.0.0.1:" + FreePorts.next(),
                "--jobstream.rate-limits.buckets.embedding-jobs.capacity=10",
                "--jobstream.rate-limits.buckets.embedding-jobs.period=60s")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(processor.uri("/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode health = JsonMapper.builder().build().readTree(response.body());

            assertThat(health.path("components").path("rateLimiter").path("status").asString()).isEqualTo("DEGRADED");
            assertThat(health.path("components").path("rateLimiter").path("details").path("buckets").asString())
                    .isEqualTo("per instance until Redis is back");
        }
    }
}
