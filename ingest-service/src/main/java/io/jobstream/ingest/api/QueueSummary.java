package io.jobstream.ingest.api;

import java.util.Map;

import io.jobstream.events.JobState;

/**
 * Jobs of one queue by BullMQ status. {@code failed} includes dead-lettered jobs (BullMQ has no
 * such status), which {@code deadLettered} also counts on their own; {@code total} counts each job once.
 * While the queue is paused its waiting jobs count as {@code paused}, as in BullMQ.
 */
public record QueueSummary(String name, boolean isPaused, long waiting, long active, long completed, long failed,
                           long delayed, long paused, long deadLettered, long cancelled, long total) {

    public static QueueSummary of(String name, Map<JobState, Long> counts, boolean isPaused) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long waiting = count(counts, JobState.QUEUED);
        return new QueueSummary(name, isPaused,
                isPaused ? 0 : waiting,
                count(counts, JobState.ACTIVE) + count(counts, JobState.PROGRESS),
                count(counts, JobState.COMPLETED),
                count(counts, JobState.FAILED) + count(counts, JobState.DEAD_LETTERED),
                count(counts, JobState.DELAYED) + count(counts, JobState.RETRY_SCHEDULED),
                isPaused ? waiting : 0,
                count(counts, JobState.DEAD_LETTERED),
                count(counts, JobState.CANCELLED),
                total);
    }

    private static long count(Map<JobState, Long> counts, JobState state) {
        return counts.getOrDefault(state, 0L);
    }
}
