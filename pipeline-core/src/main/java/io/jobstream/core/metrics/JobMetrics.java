package io.jobstream.core.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * What every queue's worker records about its jobs, tagged {@code queue} and {@code name} (the job's
 * name, BullMQ's {@code job.name}). Prometheus renders {@code jobstream.jobs.completed} as
 * {@code jobstream_jobs_completed_total}.
 *
 * <p>Outcomes count attempts: every failed attempt is {@code failed}, and then either {@code retried}
 * (another attempt is scheduled) or {@code dead.lettered} (the job ends), so failed = retried +
 * dead-lettered. Timers publish a histogram (Prometheus' {@code histogram_quantile} aggregates it over
 * instances) and, beside each, {@code <timer>.percentile{quantile=0.5|0.95|0.99}}: this instance's
 * p50/p95/p99 over the last five minutes. Prometheus' registry exports a timer as a histogram or as a
 * summary, never both, so the precomputed percentiles are gauges of their own.
 *
 * <p>Workers record into Micrometer's global registry by default: the processors are built inside
 * Kafka Streams topologies, not by Spring, and Spring Boot binds each service's registries to the
 * global one ({@code management.metrics.use-global-registry}, on by default).
 */
public final class JobMetrics {

    public static final String COMPLETED = "jobstream.jobs.completed";
    public static final String FAILED = "jobstream.jobs.failed";
    public static final String RETRIED = "jobstream.jobs.retried";
    public static final String DEAD_LETTERED = "jobstream.jobs.dead.lettered";
    public static final String CANCELLED = "jobstream.jobs.cancelled";
    /** A job that found no token in its rate-limit bucket and waits, without using an attempt. */
    public static final String RATE_LIMITED = "jobstream.jobs.rate.limited";
    /** One attempt's handler time, from start to its outcome (a timeout ends it). */
    public static final String PROCESSING = "jobstream.jobs.processing";
    /** From the moment a job became ready on its queue (added, released by its timer, handed on by a step) to its start. */
    public static final String WAIT = "jobstream.jobs.wait";
    /** Jobs running now on this instance, per queue. */
    public static final String IN_FLIGHT = "jobstream.jobs.in.flight";

    public static final JobMetrics GLOBAL = new JobMetrics(Metrics.globalRegistry);

    private static final Duration SHORTEST = Duration.ofMillis(1);
    /** Histogram buckets up to an hour: model calls and document steps can take minutes. */
    private static final Duration LONGEST = Duration.ofHours(1);
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
    /** The window of the percentiles and the max: recent enough to show a change, long enough for a 1-minute scrape. */
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final MeterRegistry registry;
    private final Map<Tags, Timer> timers = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void completed(String queue, String name) {
        counter(COMPLETED, "Jobs (or a pipeline's step) that succeeded", queue, name).increment();
    }

    public void retried(String queue, String name) {
        counter(FAILED, "Failed attempts", queue, name).increment();
        counter(RETRIED, "Failed attempts followed by another attempt", queue, name).increment();
    }

    public void deadLettered(String queue, String name) {
        counter(FAILED, "Failed attempts", queue, name).increment();
        counter(DEAD_LETTERED, "Jobs that failed for good and went to their queue's dead-letter topic", queue, name).increment();
    }

    public void cancelled(String queue, String name) {
        counter(CANCELLED, "Jobs cancelled before or while they ran", queue, name).increment();
    }

    public void rateLimited(String queue, String name) {
        counter(RATE_LIMITED, "Jobs that waited for a rate-limit token, without using an attempt", queue, name).increment();
    }

    public void processing(String queue, String name, Duration took) {
        timer(PROCESSING, "One attempt's processing time", queue, name).record(took);
    }

    public void waited(String queue, String name, Duration waited) {
        timer(WAIT, "Time a job waited on its queue before it started", queue, name).record(waited.isNegative() ? Duration.ZERO : waited);
    }

    /** The jobs holding one of the worker's {@code concurrency} slots. */
    public void inFlight(String queue, Semaphore slots, int concurrency) {
        Gauge.builder(IN_FLIGHT, slots, free -> concurrency - free.availablePermits())
                .description("Jobs running now on this instance")
                .tags(Tags.of("queue", queue))
                .register(registry);
    }

    private Counter counter(String metric, String description, String queue, String name) {
        return Counter.builder(metric).description(description).tags(tags(queue, name)).register(registry);
    }

    private Timer timer(String metric, String description, String queue, String name) {
        return timers.computeIfAbsent(tags(queue, name).and("metric", metric), key -> {
            Timer timer = Timer.builder(metric)
                    .description(description)
                    .tags(tags(queue, name))
                    .publishPercentiles(PERCENTILES)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(SHORTEST)
                    .maximumExpectedValue(LONGEST)
                    .distributionStatisticExpiry(WINDOW)
                    .register(registry);
            for (double percentile : PERCENTILES) {
                Gauge.builder(metric + ".percentile", timer, measured -> percentile(measured, percentile))
                        .description(description + ", percentile over the last minutes on this instance")
                        .tags(tags(queue, name).and("quantile", String.valueOf(percentile)))
                        .baseUnit("seconds")
                        .strongReference(true)
                        .register(registry);
            }
            return timer;
        });
    }

    private static double percentile(Timer timer, double percentile) {
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == percentile) {
                return value.value(TimeUnit.SECONDS);
            }
        }
        return Double.NaN;
    }

    private static Tags tags(String queue, String name) {
        return Tags.of("queue", queue, "name", name == null ? "" : name);
    }
}
