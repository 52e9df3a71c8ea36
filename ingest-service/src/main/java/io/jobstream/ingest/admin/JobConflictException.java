package io.jobstream.ingest.admin;

/** The job exists, but its state does not allow what was asked (cancel a finished job, retry a running one). */
public class JobConflictException extends RuntimeException {

    private final String jobId;

    public JobConflictException(String jobId, String reason) {
        super(reason);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
