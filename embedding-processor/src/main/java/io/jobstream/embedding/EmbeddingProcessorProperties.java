package io.jobstream.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rateLimitBucket the token bucket each embedding job takes one token from (configure it
 *                        under {@code jobstream.rate-limits.buckets}; unconfigured means unlimited)
 */
@ConfigurationProperties("jobstream.embedding-processor")
public record EmbeddingProcessorProperties(@DefaultValue("embedding-jobs") String rateLimitBucket) {
}
