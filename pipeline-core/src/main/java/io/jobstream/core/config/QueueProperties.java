package io.jobstream.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.topics.QueueTopics;

/**
 * The declared queues (BullMQ's {@code new Queue(name)}), e.g.
 * {@code jobstream.queues.thumbnails.retry.attempts=5}. A queue exists because it is declared here:
 * the topic catalog creates its topics, and every route that names a queue accepts it. The
 * built-in queues are declared in {@code jobstream-queues.yml}, which every service imports.
 *
 * <p>The {@link DefaultValue}s below are the only place a queue default is written.
 */
@ConfigurationProperties("jobstream")
public record QueueProperties(@DefaultValue Map<String, Queue> queues) {

    public QueueProperties {
        queues = Map.copyOf(queues);
    }

    /** The queue's settings; the defaults for a queue that is not declared. */
    public Queue queue(String name) {
        return queues.getOrDefault(name, Queue.DEFAULTS);
    }

    public Optional<Queue> declared(String name) {
        return Optional.ofNullable(queues.get(name));
    }

    /** Every declared queue's topics, by name. */
    public List<QueueTopics> topics() {
        return new TreeMap<>(queues).entrySet().stream()
                .map(queue -> new QueueTopics(queue.getKey(), queue.getValue().partitions()))
                .toList();
    }

    /**
     * @param partitions  of the queue's topics: how many worker instances can share its jobs
     * @param concurrency jobs in flight per instance
     * @param capacity    jobs held per task before the stream thread waits; 0 means 4 × concurrency
     * @param timeout     one attempt's time limit (a job's {@code timeout} option overrides it)
     * @param rateLimit   the rate-limit bucket a job takes a token from before it runs; blank: none
     * @param priority    whether jobs' priorities order the work (higher first); off: arrival order
     * @param payload     the Avro record (full class name) the queue's jobs carry; blank: any JSON object.
     *                    Jobs added as JSON are checked against it before they are published
     */
    public record Queue(@DefaultValue("6") int partitions,
                        @DefaultValue("16") int concurrency,
                        @DefaultValue("0") int capacity,
                        @DefaultValue("60s") Duration timeout,
                        @DefaultValue Retry retry,
                        @DefaultValue("") String rateLimit,
                        @DefaultValue("true") boolean priority,
                        @DefaultValue Retention retention,
                        @DefaultValue("") String payload) {

        /** The annotated defaults, bound once: a queue that is not declared runs with these. */
        public static final Queue DEFAULTS = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("queue", Queue.class);

        public Queue {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
        }

        public AsyncStepSettings asyncStep() {
            AsyncStepSettings defaults = AsyncStepSettings.of(concurrency, timeout).withPrioritized(priority);
            return capacity == 0 ? defaults
                    : new AsyncStepSettings(concurrency, capacity, timeout, defaults.maxBlock(), defaults.tick(), priority);
        }
    }

    /**
     * BullMQ's {@code attempts} and {@code backoff}: {@code fixed} waits {@code baseDelay} each time,
     * {@code exponential} multiplies it by {@code factor} after every failed attempt, up to {@code maxDelay}.
     */
    public record Retry(@DefaultValue("3") int attempts,
                        @DefaultValue("exponential") Backoff backoff,
                        @DefaultValue("2s") Duration baseDelay,
                        @DefaultValue("2.0") double factor,
                        @DefaultValue("10m") Duration maxDelay,
                        @DefaultValue("0.1") double jitter) {

        public RetryPolicy policy() {
            return new RetryPolicy(attempts, baseDelay, backoff == Backoff.FIXED ? 1.0 : factor, maxDelay, jitter);
        }
    }

    public enum Backoff { FIXED, EXPONENTIAL }

    /**
     * How many finished jobs the status store keeps (BullMQ's {@code removeOnComplete} and
     * {@code removeOnFail} as counts and ages).
     *
     * @param keepCompleted newest completed jobs kept
     * @param keepFailed    newest failed, dead-lettered or cancelled jobs kept
     * @param completedAge  completed jobs older than this are removed whatever their number; null: no limit
     * @param failedAge     the same for failed jobs
     */
    public record Retention(@DefaultValue("100") int keepCompleted, @DefaultValue("100") int keepFailed,
                            Duration completedAge, Duration failedAge) {

        public Retention {
            if (keepCompleted < 0 || keepFailed < 0) {
                throw new IllegalArgumentException("retention counts must not be negative, got " + keepCompleted + "/" + keepFailed);
            }
        }
    }
}
