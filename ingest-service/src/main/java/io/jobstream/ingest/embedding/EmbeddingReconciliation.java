package io.jobstream.ingest.embedding;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

import io.jobstream.ingest.submit.UnfinishedJobs;

/**
 * Seed 000's hourly schedule: adds a {@code generate-embeddings} job so posts that missed their
 * embedding (a dead-lettered job, a model change) are caught up. The job id names the schedule
 * slot and an unfinished job of that slot is not added again, so instances firing together add it
 * once (and the worker drops any racing duplicate: BullMQ job-id semantics).
 */
@Component
public class EmbeddingReconciliation implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingReconciliation.class);

    private final EmbeddingJobs jobs;
    private final UnfinishedJobs unfinished;
    private final EmbeddingStatsProperties properties;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> schedule;

    public EmbeddingReconciliation(EmbeddingJobs jobs, UnfinishedJobs unfinished, EmbeddingStatsProperties properties,
                                   TaskScheduler scheduler) {
        this.jobs = jobs;
        this.unfinished = unfinished;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    void fire() {
        long slotMillis = properties.reconciliationSlot().toMillis();
        long slot = Instant.now().toEpochMilli() / slotMillis * slotMillis;
        try {
            String jobId = "embedding-reconcile-" + slot;
            if (unfinished.find(jobId).isEmpty()) {
                jobs.submitPendingBatch(jobId, properties.reconciliationBatch(), "schedule");
            }
        } catch (RuntimeException e) {
            log.warn("scheduled embedding reconciliation not submitted slot={} error={}", slot, e.toString());
        }
    }

    @Override
    public void start() {
        if (properties.reconciliationEnabled()) {
            schedule = scheduler.schedule(this::fire, new CronTrigger(properties.reconciliationCron()));
            log.info("embedding reconciliation scheduled cron={}", properties.reconciliationCron());
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
