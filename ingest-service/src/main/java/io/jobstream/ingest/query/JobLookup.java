package io.jobstream.ingest.query;

/** Outcome of looking up one job id. */
public sealed interface JobLookup {

    /** The job's status, from the owning instance or, during a rebalance, from a standby copy. */
    record Found(JobSnapshot job) implements JobLookup {
    }

    /** The instance that owns the id, while running, has no such job. The only reason to answer 404. */
    record Absent() implements JobLookup {
    }

    /** Nobody can answer right now (rebalance, owner unreachable): the caller should retry shortly. */
    record Unavailable(String reason) implements JobLookup {
    }
}
