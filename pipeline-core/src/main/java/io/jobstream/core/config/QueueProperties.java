package io.jobstream.core.config;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.retry.RetryPolicy;

/**
 * Per-queue worker settings, e.g. {@code jobstream.queues.embedding.retry.attempts=5}. A queue not
 * listed runs with the defaults: 3 attempts, 2 s base delay doubling each time, concurrency 16.
 */
@ConfigurationProperties("jobstream")
public record QueueProperties(@DefaultValue Map<String, Queue> queues) {

    public Queue queue(String name) {
        return queues.getOrDefault(name, Queue.DEFAULTS);
    }

    /**
     * @param concurrency jobs in flight per instance
     * @param capacity    jobs held per task before the stream thread waits; 0 means 4 × concurrency
     * @param timeout     one attempt's time limit
     */
    public record Queue(@DefaultValue("16") int concurrency, @DefaultValue("0") int capacity,
                        @DefaultValue("60s") Duration timeout, @DefaultValue Retry retry) {

        static final Queue DEFAULTS = new Queue(16, 0, Duration.ofSeconds(60), Retry.DEFAULTS);

        public AsyncStepSettings asyncStep() {
            AsyncStepSettings defaults = AsyncStepSettings.of(concurrency, timeout);
            return capacity == 0 ? defaults
                    : new AsyncStepSettings(concurrency, capacity, timeout, defaults.maxBlock(), defaults.tick());
        }
    }

    public record Retry(@DefaultValue("3") int attempts, @DefaultValue("2s") Duration baseDelay,
                        @DefaultValue("2.0") double factor, @DefaultValue("10m") Duration maxDelay,
                        @DefaultValue("0.1") double jitter) {

        static final Retry DEFAULTS = new Retry(3, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10), 0.1);

        public RetryPolicy policy() {
            return new RetryPolicy(attempts, baseDelay, factor, maxDelay, jitter);
        }
    }
}
