package io.jobstream.ingest.query;

import java.time.Instant;
import java.util.Comparator;

import io.jobstream.core.job.JobMetadata;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStatus;

/**
 * One job's status as queries return it, also the JSON that instances exchange when a query is
 * forwarded (Avro records do not map to JSON by themselves). {@code data} and {@code returnValue}
 * stay the JSON strings the job events carried.
 */
public record JobSnapshot(
        String jobId,
        String queue,
        String jobType,
        JobState state,
        int stage,
        int attempt,
        int maxAttempts,
        int progress,
        String step,
        Instant enqueuedAt,
        Instant processedAt,
        Instant finishedAt,
        Instant updatedAt,
        Instant dueAt,
        String errorClass,
        String errorMessage,
        String returnValue,
        String data,
        String traceId,
        String parentJobId,
        Integer priority) {

    /** Listing order: newest run first, then by id so pages are stable. */
    public static final Comparator<JobSnapshot> NEWEST_FIRST = Comparator.comparing(JobSnapshot::enqueuedAt)
            .reversed()
            .thenComparing(JobSnapshot::jobId);

    /** This run of the job as the lifecycle machinery names it, for events about it. */
    public JobMetadata metadata() {
        return new JobMetadata(jobId, jobType, attempt, maxAttempts, enqueuedAt, traceId, parentJobId, priority, stage);
    }

    public static JobSnapshot of(JobStatus status) {
        return new JobSnapshot(status.getJobId(), status.getQueue(), status.getJobType(), status.getState(),
                status.getStage(), status.getAttempt(), status.getMaxAttempts(), status.getProgress(), status.getStep(),
                status.getEnqueuedAt(), status.getProcessedAt(), status.getFinishedAt(), status.getUpdatedAt(),
                status.getDueAt(), status.getErrorClass(), status.getErrorMessage(), status.getReturnValue(),
                status.getData(), status.getTraceId(), status.getParentJobId(), status.getPriority());
    }
}
