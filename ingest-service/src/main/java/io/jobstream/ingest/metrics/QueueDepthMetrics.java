package io.jobstream.ingest.metrics;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import io.jobstream.events.JobState;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.StateCount;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.ingest.queue.DeclaredQueues;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code jobstream.queue.jobs{queue, state}}: jobs of each declared queue by lifecycle state, from
 * this instance's partitions of the job-status store. Each instance reports its own share, so a
 * sum over instances is the cluster's count and a scrape never calls another instance.
 */
@Component
public class QueueDepthMetrics implements MeterBinder {

    public static final String QUEUE_JOBS = "jobstream.queue.jobs";
    /** One store scan serves every gauge of a scrape. */
    private static final long REFRESH_MILLIS = 1_000;

    private final JobStatusQueries queries;
    private final DeclaredQueues queues;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>(new Snapshot(0, Map.of()));

    public QueueDepthMetrics(JobStatusQueries queries, DeclaredQueues queues) {
        this.queries = queries;
        this.queues = queues;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String queue : queues.names()) {
            for (JobState state : JobState.values()) {
                if (state == JobState.REMOVED) {
                    continue;
                }
                Gauge.builder(QUEUE_JOBS, this, metrics -> metrics.count(queue, state))
                        .description("Jobs of the queue in this state, in this instance's partitions of the job-status store")
                        .tag("queue", queue)
                        .tag("state", state.name().toLowerCase())
                        .register(registry);
            }
        }
    }

    /** NaN while the store cannot answer (starting, rebalancing): no sample rather than a false zero. */
    private double count(String queue, JobState state) {
        Snapshot snapshot = current();
        if (snapshot.counts() == null) {
            return Double.NaN;
        }
        return snapshot.counts().getOrDefault(queue + "/" + state.name(), 0L);
    }

    private Snapshot current() {
        long now = System.currentTimeMillis();
        Snapshot snapshot = latest.get();
        if (now - snapshot.at() < REFRESH_MILLIS) {
            return snapshot;
        }
        Snapshot fresh;
        try {
            fresh = new Snapshot(now, queries.countsLocal().counts().stream()
                    .collect(Collectors.toMap(count -> count.queue() + "/" + count.state().name(), StateCount::count, Long::sum)));
        } catch (StatusUnavailableException | IllegalStateException unavailable) {
            fresh = new Snapshot(now, null);
        }
        latest.set(fresh);
        return fresh;
    }

    private record Snapshot(long at, Map<String, Long> counts) {
    }
}
