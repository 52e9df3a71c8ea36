package io.jobstream.ingest.submit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this service adds jobs to queues.
 *
 * @param poolSize transactional producers; one request holds one for the length of its transaction,
 *                 so this many submissions run at once and the rest wait for a free producer
 */
@ConfigurationProperties("jobstream.ingest.publisher")
public record PublisherProperties(@DefaultValue("4") int poolSize) {

    public PublisherProperties {
        if (poolSize < 1) {
            throw new IllegalArgumentException("jobstream.ingest.publisher.pool-size must be at least 1, got " + poolSize);
        }
    }
}
