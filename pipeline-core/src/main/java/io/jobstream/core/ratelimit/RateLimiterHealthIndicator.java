package io.jobstream.core.ratelimit;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * DEGRADED while Redis is configured but unreachable: jobs still run, but each instance enforces
 * the limits alone, so the cluster together may exceed a provider's limit.
 */
public final class RateLimiterHealthIndicator implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "rate limits are per instance: Redis is unreachable");

    private final RateLimiter limiter;

    public RateLimiterHealthIndicator(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Health health() {
        if (!limiter.shared()) {
            return Health.up().withDetail("buckets", "per instance (no Redis configured)").build();
        }
        if (limiter.redisReachable() && !limiter.degraded()) {
            return Health.up().withDetail("buckets", "shared through Redis").build();
        }
        return Health.status(DEGRADED).withDetail("buckets", "per instance until Redis is back").build();
    }
}
