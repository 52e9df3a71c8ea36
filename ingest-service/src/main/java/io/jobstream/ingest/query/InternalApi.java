package io.jobstream.ingest.query;

import java.util.List;
import java.util.Set;

/**
 * What instances ask each other: routes and bodies. Every internal route answers from this
 * instance's own stores and never forwards, so a forwarded query cannot loop. An instance that
 * cannot answer replies 503.
 */
public final class InternalApi {

    /** One job from the local stores: 200 {@link LookupAnswer}, or 503. */
    public static final String JOB = "/internal/jobs/{id}";
    /** The local active partitions' newest matches: 200 {@link JobsAnswer}, or 503. */
    public static final String JOBS = "/internal/jobs";
    /** The local active partitions' counts: 200 {@link CountsAnswer}, or 503. */
    public static final String COUNTS = "/internal/job-counts";
    /** One job's log lines from the local active store: 200 {@link LogsAnswer}, or 503. */
    public static final String LOGS = "/internal/jobs/{id}/logs";
    /** One job's failed attempts from the local active store: 200 {@link AttemptsAnswer}, or 503. */
    public static final String ATTEMPTS = "/internal/jobs/{id}/attempts";

    private InternalApi() {
    }

    /**
     * @param found false only when this instance owns the id, is running, and has no such job
     * @param job   the status when found (possibly from a standby copy during a rebalance)
     */
    public record LookupAnswer(boolean found, JobSnapshot job) {
    }

    /**
     * @param total      matches in the partitions scanned
     * @param jobs       the newest {@code limit} of them, newest first
     * @param partitions the topic partitions scanned, so the caller can tell whether every partition answered
     */
    public record JobsAnswer(long total, List<JobSnapshot> jobs, Set<String> partitions) {
    }

    /**
     * @param counts     per queue and state, from the partitions scanned
     * @param partitions the topic partitions scanned
     */
    public record LogsAnswer(List<LogLine> lines) {
    }

    public record AttemptsAnswer(List<FailedAttempt> attempts) {
    }

    public record CountsAnswer(List<StateCount> counts, Set<String> partitions) {
    }
}
