package io.jobstream.core.job;

import java.time.Instant;

import org.apache.kafka.common.header.Headers;

import io.jobstream.core.trace.TraceParent;

/**
 * What the machinery knows about a job record, read from its headers.
 *
 * @param enqueuedAt when this run was submitted; with the job id it names the run
 * @param stage      the step of a multi-step pipeline this record is for (0 for a single-step queue);
 *                   attempts count within a stage
 */
public record JobMetadata(String jobId, String jobType, int attempt, int maxAttempts, Instant enqueuedAt,
                          String traceId, String parentJobId, Integer priority, int stage) {

    /** A job of a single-step queue, or the first step of a pipeline. */
    public JobMetadata(String jobId, String jobType, int attempt, int maxAttempts, Instant enqueuedAt,
                       String traceId, String parentJobId, Integer priority) {
        this(jobId, jobType, attempt, maxAttempts, enqueuedAt, traceId, parentJobId, priority, 0);
    }

    /**
     * @param fallbackId        used when the record carries no job id header (its key)
     * @param fallbackType      used when the record carries no job type (the queue name)
     * @param queueMaxAttempts  the queue's limit, unless the job sets its own
     * @param recordTime        the record's timestamp, when no submission time was written
     */
    public static JobMetadata from(Headers headers, String fallbackId, String fallbackType,
                                   int queueMaxAttempts, long recordTime) {
        return new JobMetadata(
                JobHeaders.text(headers, JobHeaders.JOB_ID).orElse(fallbackId),
                JobHeaders.text(headers, JobHeaders.JOB_TYPE).orElse(fallbackType),
                JobHeaders.number(headers, JobHeaders.ATTEMPT).map(Long::intValue).orElse(1),
                JobHeaders.number(headers, JobHeaders.MAX_ATTEMPTS).map(Long::intValue).orElse(queueMaxAttempts),
                Instant.ofEpochMilli(JobHeaders.number(headers, JobHeaders.ENQUEUED_AT).orElse(recordTime)),
                // A record from outside jobstream may carry only a W3C trace context.
                JobHeaders.text(headers, JobHeaders.TRACE_ID).or(() -> JobHeaders.text(headers, TraceParent.HEADER)
                        .flatMap(TraceParent::parse).map(TraceParent::traceId)).orElse(null),
                JobHeaders.text(headers, JobHeaders.PARENT_JOB_ID).orElse(null),
                JobHeaders.number(headers, JobHeaders.PRIORITY).map(Long::intValue).orElse(null),
                JobHeaders.number(headers, JobHeaders.STAGE).map(Long::intValue).orElse(0));
    }

    /** Writes every field back, so a record carries its job wherever it is copied. */
    public void writeTo(Headers headers) {
        JobHeaders.put(headers, JobHeaders.JOB_ID, jobId);
        JobHeaders.put(headers, JobHeaders.JOB_TYPE, jobType);
        JobHeaders.put(headers, JobHeaders.ATTEMPT, attempt);
        JobHeaders.put(headers, JobHeaders.MAX_ATTEMPTS, maxAttempts);
        JobHeaders.put(headers, JobHeaders.ENQUEUED_AT, enqueuedAt.toEpochMilli());
        JobHeaders.put(headers, JobHeaders.TRACE_ID, traceId);
        writeTraceParent(headers);
        JobHeaders.put(headers, JobHeaders.PARENT_JOB_ID, parentJobId);
        JobHeaders.put(headers, JobHeaders.PRIORITY, priority);
        JobHeaders.put(headers, JobHeaders.STAGE, stage);
    }

    /** Writes who the job is but not its attempt count: for the record a finished step hands on. */
    public void writeIdentityTo(Headers headers) {
        JobHeaders.put(headers, JobHeaders.JOB_ID, jobId);
        JobHeaders.put(headers, JobHeaders.JOB_TYPE, jobType);
        JobHeaders.put(headers, JobHeaders.ENQUEUED_AT, enqueuedAt.toEpochMilli());
        JobHeaders.put(headers, JobHeaders.TRACE_ID, traceId);
        writeTraceParent(headers);
        JobHeaders.put(headers, JobHeaders.PARENT_JOB_ID, parentJobId);
        JobHeaders.put(headers, JobHeaders.PRIORITY, priority);
        JobHeaders.put(headers, JobHeaders.STAGE, stage);
    }

    /** The W3C header for the next hop of the job's trace; a trace id that is not W3C's travels only as trace-id. */
    private void writeTraceParent(Headers headers) {
        JobHeaders.put(headers, TraceParent.HEADER, TraceParent.ofTrace(traceId).map(TraceParent::toString).orElse(null));
    }

    public JobMetadata nextAttempt() {
        return new JobMetadata(jobId, jobType, attempt + 1, maxAttempts, enqueuedAt, traceId, parentJobId, priority, stage);
    }

    /** The job as the next step of its pipeline receives it: one stage on, its attempts counted afresh. */
    public JobMetadata nextStage() {
        return new JobMetadata(jobId, jobType, 1, maxAttempts, enqueuedAt, traceId, parentJobId, priority, stage + 1);
    }

    public boolean hasAttemptsLeft() {
        return attempt < maxAttempts;
    }
}
