package io.jobstream.core.async;

import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.store.ParkedRecord;

/**
 * What an {@link AsyncStep} reports about a job, in order: it started, its progress, then
 * exactly one of succeeded or failed. {@code record} is the job's input as it was read.
 */
public record StepOutcome<V, R>(Kind kind, JobMetadata job, ParkedRecord record, V value,
                                R result, Throwable error, int percent, String step) {

    public enum Kind { STARTED, PROGRESS, SUCCEEDED, FAILED }

    static <V, R> StepOutcome<V, R> started(JobMetadata job, ParkedRecord record, V value) {
        return new StepOutcome<>(Kind.STARTED, job, record, value, null, null, 0, null);
    }

    static <V, R> StepOutcome<V, R> progress(JobMetadata job, ParkedRecord record, V value, int percent, String step) {
        return new StepOutcome<>(Kind.PROGRESS, job, record, value, null, null, percent, step);
    }

    static <V, R> StepOutcome<V, R> succeeded(JobMetadata job, ParkedRecord record, V value, R result) {
        return new StepOutcome<>(Kind.SUCCEEDED, job, record, value, result, null, 100, null);
    }

    static <V, R> StepOutcome<V, R> failed(JobMetadata job, ParkedRecord record, V value, Throwable error) {
        return new StepOutcome<>(Kind.FAILED, job, record, value, null, error, 0, null);
    }
}
