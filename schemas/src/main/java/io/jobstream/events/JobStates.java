package io.jobstream.events;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where each {@link JobState} stands within one attempt of a job. Events of one job come from several
 * producers and can arrive in any order; whoever reads {@code jobs.events} (the status fold, the chaos
 * run's ledger) ranks them by this, not by arrival.
 */
public final class JobStates {

    /** Every terminal state shares the top rank: the first terminal event of an attempt stays. */
    public static final int TERMINAL_RANK = 5;

    /** The end states of a job that is still listed: retention and clean may remove it, a reader may await it. */
    public static final Set<JobState> FINISHED = Collections.unmodifiableSet(EnumSet.of(JobState.COMPLETED,
            JobState.FAILED, JobState.DEAD_LETTERED, JobState.CANCELLED));

    private JobStates() {
    }

    public static int rankInAttempt(JobState state) {
        return switch (state) {
            case QUEUED -> 0;
            case DELAYED -> 1;
            case ACTIVE -> 2;
            case PROGRESS -> 3;
            case RETRY_SCHEDULED -> 4;
            case COMPLETED, FAILED, DEAD_LETTERED, CANCELLED, REMOVED -> TERMINAL_RANK;
        };
    }

    public static boolean isTerminal(JobState state) {
        return rankInAttempt(state) == TERMINAL_RANK;
    }

    /** A state only a worker reports: the run has reached a worker. */
    public static boolean reachedWorker(JobState state) {
        return rankInAttempt(state) >= rankInAttempt(JobState.ACTIVE);
    }
}
