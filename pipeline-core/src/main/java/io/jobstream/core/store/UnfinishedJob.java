package io.jobstream.core.store;

/**
 * A worker's record of a job whose run has not finished: which run it is (for BullMQ's job-id
 * semantics) and, while the worker holds the job's record (waiting for a slot or running), that
 * record and its arrival order. One store entry per job serves both purposes, so a job that
 * finishes within one commit interval costs one changelog record (the tombstone), not two.
 *
 * @param run      the run's submission time, in epoch milliseconds
 * @param sequence arrival order of the held record within its task; meaningless without {@code parked}
 * @param parked   the job's record while the worker holds it; null between attempts
 */
public record UnfinishedJob(long run, long sequence, ParkedRecord parked) {

    /** A run let in, its record not yet held. */
    public static UnfinishedJob admitted(long run) {
        return new UnfinishedJob(run, -1, null);
    }

    /** The same run, its record no longer held (the attempt ended, the run goes on). */
    public UnfinishedJob released() {
        return admitted(run);
    }

    public boolean holdsRecord() {
        return parked != null;
    }
}
