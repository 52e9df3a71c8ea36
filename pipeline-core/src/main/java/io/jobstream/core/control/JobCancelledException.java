package io.jobstream.core.control;

/** Ends an attempt because the job was cancelled: no retry, no dead letter, the job is CANCELLED. */
public final class JobCancelledException extends RuntimeException {

    public JobCancelledException(String jobId, String reason) {
        super(reason == null || reason.isBlank() ? "job " + jobId + " was cancelled" : reason);
    }
}
