package io.jobstream.core.async;

import java.time.Duration;
import java.time.Instant;

import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.store.ParkedRecord;

/**
 * What an {@link AsyncStep} reports about a job, in order: it started, its progress and log lines,
 * then exactly one of succeeded, failed, cancelled or deferred. {@code record} is the job's input as
 * it was read. An attempt that ends before it was announced reports no start: its outcome carries
 * {@code startedAt} instead.
 *
 * @param step       PROGRESS: the pipeline stage the job reports it is in
 * @param text       LOG: the line; CANCELLED and DEFERRED: the reason
 * @param retryAfter DEFERRED: when the same attempt should run again
 * @param startedAt  STARTED: when the attempt started; an outcome: the same, only when no STARTED was reported
 */
public record StepOutcome<V, R>(Kind kind, JobMetadata job, ParkedRecord record, V value,
                                R result, Throwable error, int percent, String step, String text, Duration retryAfter,
                                Instant startedAt) {

    public enum Kind { STARTED, PROGRESS, LOG, SUCCEEDED, FAILED, CANCELLED, DEFERRED }

    static <V, R> StepOutcome<V, R> started(JobMetadata job, ParkedRecord record, V value, Instant startedAt) {
        return new StepOutcome<>(Kind.STARTED, job, record, value, null, null, 0, null, null, null, startedAt);
    }

    static <V, R> StepOutcome<V, R> progress(JobMetadata job, ParkedRecord record, V value, int percent, String step) {
        return new StepOutcome<>(Kind.PROGRESS, job, record, value, null, null, percent, step, null, null, null);
    }

    static <V, R> StepOutcome<V, R> log(JobMetadata job, ParkedRecord record, V value, String line) {
        return new StepOutcome<>(Kind.LOG, job, record, value, null, null, 0, null, line, null, null);
    }

    static <V, R> StepOutcome<V, R> succeeded(JobMetadata job, ParkedRecord record, V value, R result) {
        return new StepOutcome<>(Kind.SUCCEEDED, job, record, value, result, null, 100, null, null, null, null);
    }

    static <V, R> StepOutcome<V, R> failed(JobMetadata job, ParkedRecord record, V value, Throwable error) {
        return new StepOutcome<>(Kind.FAILED, job, record, value, null, error, 0, null, null, null, null);
    }

    static <V, R> StepOutcome<V, R> cancelled(JobMetadata job, ParkedRecord record, V value, String reason) {
        String text = reason == null || reason.isBlank() ? "job " + job.jobId() + " was cancelled" : reason;
        return new StepOutcome<>(Kind.CANCELLED, job, record, value, null, null, 0, null, text, null, null);
    }

    static <V, R> StepOutcome<V, R> deferred(JobMetadata job, ParkedRecord record, V value, String reason, Duration retryAfter) {
        return new StepOutcome<>(Kind.DEFERRED, job, record, value, null, null, 0, null, reason, retryAfter, null);
    }

    /** This outcome of an attempt that was never announced: it tells when the attempt started. */
    StepOutcome<V, R> unannounced(Instant attemptStartedAt) {
        return new StepOutcome<>(kind, job, record, value, result, error, percent, step, text, retryAfter, attemptStartedAt);
    }
}
