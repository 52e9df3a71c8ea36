package io.jobstream.core.streams;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.core.ratelimit.RateLimiterHealthIndicator;

/**
 * Health contributors, where actuator is present: {@code streams} (the service's Kafka Streams
 * application) and {@code rateLimiter} (shared buckets in Redis, or DEGRADED to per instance).
 */
@AutoConfiguration(after = PipelineAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public class PipelineHealthAutoConfiguration {

    @Bean
    @ConditionalOnBean(ManagedStreams.class)
    @ConditionalOnMissingBean(name = "streamsHealthIndicator")
    public StreamsHealthIndicator streamsHealthIndicator(ManagedStreams streams) {
        return new StreamsHealthIndicator(streams);
    }

    @Bean
    @ConditionalOnBean(RateLimiter.class)
    @ConditionalOnMissingBean(name = "rateLimiterHealthIndicator")
    public RateLimiterHealthIndicator rateLimiterHealthIndicator(RateLimiter limiter) {
        return new RateLimiterHealthIndicator(limiter);
    }
}
