package io.jobstream.core.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of a service's Kafka Streams application. A rebalance is normal operation (work moves,
 * queries answer from standbys), so REBALANCING is UP; a dead or stopped application is DOWN.
 */
public final class StreamsHealthIndicator implements HealthIndicator {

    private final ManagedStreams streams;

    public StreamsHealthIndicator(ManagedStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams.State state;
        try {
            state = streams.streams().state();
        } catch (IllegalStateException notStarted) {
            return Health.outOfService().withDetail("state", "STOPPED").build();
        }
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING -> Health.up();
            case CREATED -> Health.outOfService();
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> Health.down();
        };
        return health.withDetail("state", state.name())
                .withDetail("applicationId", streams.settings().applicationId())
                .withDetail("applicationServer", streams.settings().applicationServer())
                .build();
    }
}
