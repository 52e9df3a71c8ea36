package io.jobstream.ingest.status;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.jobstream.core.streams.ManagedStreams;

/**
 * Health of the job-status streams application. A rebalance is normal operation (queries answer
 * from standbys or ask to retry), so REBALANCING is UP; a dead or stopped application is DOWN.
 */
public final class JobStatusStreamsHealthIndicator implements HealthIndicator {

    private final ManagedStreams streams;

    public JobStatusStreamsHealthIndicator(ManagedStreams streams) {
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
                .withDetail("applicationServer", streams.settings().applicationServer())
                .build();
    }
}
