package io.jobstream.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.jobstream.test.FreePorts;
import io.jobstream.test.RedisExtension;

/** Token buckets in a real redis-server, shared by two limiters as two instances would share them. */
class RateLimiterIT {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @Test
    void twoInstancesSharingOneBucketNeverTakeMoreThanItHolds() throws Exception {
        // A redis call slower than the timeout falls back to a local bucket by design; on a loaded machine
        // that fallback, not the shared bucket, would be under test.
        RateLimitProperties properties = properties(redis.uri(), "shared-" + System.nanoTime(), 10, Duration.ofMinutes(1),
                Duration.ofSeconds(30));
        String bucket = properties.buckets().keySet().iterator().next();
        AtomicInteger granted = new AtomicInteger();
        try (RateLimiter first = new RateLimiter(properties);
             RateLimiter second = new RateLimiter(properties);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                RateLimiter instance = i % 2 == 0 ? first : second;
                calls.add(callers.submit(() -> {
                    if (instance.tryAcquire(bucket, 1).granted()) {
                        granted.incrementAndGet();
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            Permit denied = first.tryAcquire(bucket, 1);

            assertThat(granted.get()).isEqualTo(10);
            assertThat(denied.granted()).isFalse();
            assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
            assertThat(first.degraded()).isFalse();
        }
    }

    @Test
    void withRedisUnreachableEachInstanceFallsBackToALocalBucketAndSaysSo() {
        RateLimitProperties properties = properties("redis://127.0.0.1:" + FreePorts.next(), "local", 3, Duration.ofMinutes(1));
        try (RateLimiter limiter = new RateLimiter(properties)) {
            int granted = 0;
            for (int i = 0; i < 5; i++) {
                if (limiter.tryAcquire("local", 1).granted()) {
                    granted++;
                }
            }

            assertThat(granted).isEqualTo(3);
            assertThat(limiter.degraded()).isTrue();
        }
    }

    @Test
    void aBucketThatIsNotConfiguredNeverLimits() {
        try (RateLimiter limiter = new RateLimiter(properties(redis.uri(), "configured", 1, Duration.ofMinutes(1)))) {
            assertThat(limiter.tryAcquire("unconfigured", 1_000).granted()).isTrue();
        }
    }

    private static RateLimitProperties properties(String redisUrl, String bucket, long capacity, Duration period) {
        return properties(redisUrl, bucket, capacity, period, Duration.ofMillis(250));
    }

    private static RateLimitProperties properties(String redisUrl, String bucket, long capacity, Duration period,
                                                  Duration redisTimeout) {
        return new RateLimitProperties(redisUrl, Map.of(bucket, new RateLimitProperties.Limit(capacity, period)),
                redisTimeout, Duration.ofSeconds(5));
    }
}
