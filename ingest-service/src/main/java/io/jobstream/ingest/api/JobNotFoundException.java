package io.jobstream.ingest.api;

/** The instance that owns the id, while running, has no such job; answered 404. */
public final class JobNotFoundException extends RuntimeException {

    private final String jobId;

    public JobNotFoundException(String jobId) {
        super("no job with id " + jobId);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
