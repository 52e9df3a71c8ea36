package io.jobstream.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.jobstream.core.retry.RetryPolicy;

class QueuePropertiesTest {

    @Test
    void aQueueIsConfiguredByNameAndOthersKeepTheDefaults() {
        QueueProperties properties = bind(Map.of(
                "jobstream.queues.embedding.concurrency", "2",
                "jobstream.queues.embedding.retry.attempts", "3",
                "jobstream.queues.embedding.retry.base-delay", "5s",
                "jobstream.queues.embedding.retry.factor", "5"));

        QueueProperties.Queue embedding = properties.queue("embedding");
        assertThat(embedding.asyncStep().concurrency()).isEqualTo(2);
        assertThat(embedding.asyncStep().capacity()).isEqualTo(8);
        // Seed 000's back-off: 5 s, 25 s, 125 s.
        RetryPolicy retry = embedding.retry().policy();
        assertThat(retry.nominalDelay(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(retry.nominalDelay(2)).isEqualTo(Duration.ofSeconds(25));

        QueueProperties.Queue other = properties.queue("agent.chat");
        assertThat(other.retry().policy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(other.asyncStep().concurrency()).isEqualTo(16);
    }

    private static QueueProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("jobstream", QueueProperties.class);
    }
}
