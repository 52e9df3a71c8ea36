package io.jobstream.core.ratelimit;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token buckets by name, e.g. seed 000's OpenAI limit of 10 jobs a minute:
 * {@code jobstream.rate-limits.buckets.openai-requests.capacity=10},
 * {@code ...openai-requests.period=60s}. BullMQ's limiter semantics: at most {@code capacity}
 * tokens per {@code period}, refilled at the start of each period.
 *
 * @param redisUrl where the shared buckets live; blank keeps every bucket local to the instance
 */
@ConfigurationProperties("jobstream.rate-limits")
public record RateLimitProperties(@DefaultValue("") String redisUrl, @DefaultValue Map<String, Limit> buckets,
                                  @DefaultValue("250ms") Duration redisTimeout,
                                  @DefaultValue("5s") Duration redisRetryAfter) {

    public record Limit(long capacity, Duration period) {
    }
}
