package io.jobstream.ingest.submit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.jobstream.core.job.JobIntakeTopology;

/**
 * How this service adds jobs to queues.
 *
 * @param poolSize              transactional producers (bulk, delayed and combined adds); one request holds
 *                              one for the length of its transaction, so this many such submissions run at
 *                              once and the rest wait for a free producer
 * @param intakeCommitInterval  how often the intake ({@link JobIntakeStreams}) commits the QUEUED events of
 *                              single adds; see {@link JobIntakeTopology#COMMIT_INTERVAL}
 */
@ConfigurationProperties("jobstream.ingest.publisher")
public record PublisherProperties(@DefaultValue("4") int poolSize, @DefaultValue(JobIntakeTopology.COMMIT_INTERVAL) Duration intakeCommitInterval) {

    public PublisherProperties {
        if (poolSize < 1) {
            throw new IllegalArgumentException("jobstream.ingest.publisher.pool-size must be at least 1, got " + poolSize);
        }
        if (intakeCommitInterval.isNegative() || intakeCommitInterval.isZero()) {
            throw new IllegalArgumentException("jobstream.ingest.publisher.intake-commit-interval must be positive, got "
                    + intakeCommitInterval);
        }
    }
}
