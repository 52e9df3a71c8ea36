package io.jobstream.ingest.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import io.jobstream.core.config.QueueProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import io.jobstream.events.JobState;
import io.jobstream.ingest.query.JobFilter;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.LocalStatusStore;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.ingest.status.JobStatusTopology;

/**
 * Keeps the status store to the newest N completed and N failed jobs per queue, and removes
 * finished jobs past their age limit. Runs on the instance with the lowest address among those
 * hosting the status store, so instances do not remove the same jobs twice.
 */
@Component
public class JobRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRetention.class);
    private static final Set<JobState> COMPLETED = EnumSet.of(JobState.COMPLETED);
    private static final Set<JobState> FAILED = EnumSet.of(JobState.FAILED, JobState.DEAD_LETTERED, JobState.CANCELLED);

    private final JobAdmin admin;
    private final JobStatusQueries queries;
    private final LocalStatusStore local;
    private final RetentionProperties properties;
    private final QueueProperties queues;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> schedule;

    public JobRetention(JobAdmin admin, JobStatusQueries queries, LocalStatusStore local, RetentionProperties properties,
                        QueueProperties queues, TaskScheduler scheduler) {
        this.queues = queues;
        this.admin = admin;
        this.queries = queries;
        this.local = local;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    /** One pass over every queue; returns how many jobs it removed. */
    public int enforce() {
        if (!isLeader()) {
            return 0;
        }
        int removed = 0;
        for (String queue : queries.countsByQueue().keySet()) {
            QueueProperties.Retention limits = queues.queue(queue).retention();
            removed += trim(queue, COMPLETED, limits.keepCompleted(), limits.completedAge());
            removed += trim(queue, FAILED, limits.keepFailed(), limits.failedAge());
        }
        return removed;
    }

    private int trim(String queue, Set<JobState> states, int keep, Duration maxAge) {
        List<JobSnapshot> finished = new ArrayList<>(admin.jobs(new JobFilter(queue, states)));
        finished.sort(Comparator.comparing(JobRetention::finishedAt).reversed());
        Instant cutoff = maxAge == null ? Instant.MIN : Instant.now().minus(maxAge);
        List<JobSnapshot> expired = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            JobSnapshot job = finished.get(i);
            if (i >= keep || finishedAt(job).isBefore(cutoff)) {
                expired.add(job);
            }
        }
        if (!expired.isEmpty()) {
            admin.remove(expired);
            log.info("retention removed jobs queue={} states={} removed={} kept={}", queue, states, expired.size(),
                    finished.size() - expired.size());
        }
        return expired.size();
    }

    private boolean isLeader() {
        List<StreamsMetadata> hosts = local.hostsOf(JobStatusTopology.STATUS_STORE);
        return hosts.stream().map(StreamsMetadata::hostInfo)
                .min(Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port))
                .map(local.self()::equals)
                .orElse(false);
    }

    private static Instant finishedAt(JobSnapshot job) {
        return job.finishedAt() != null ? job.finishedAt() : job.updatedAt();
    }

    private void run() {
        try {
            enforce();
        } catch (StatusUnavailableException e) {
            log.debug("retention skipped this round: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("retention failed this round error={}", e.toString());
        }
    }

    @Override
    public void start() {
        if (properties.enabled()) {
            schedule = scheduler.scheduleWithFixedDelay(this::run, properties.interval());
        }
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
