package io.jobstream.events;

/**
 * Where each {@link JobState} stands within one attempt of a job. Events of one job come from several
 * producers and can arrive in any order; whoever reads {@code jobs.events} (the status fold, the chaos
 * run's ledger) ranks them by this, not by arrival.
 */
public final class JobStates {

    /** Every terminal state shares the top rank: the first terminal event of an attempt stays. */
    public static final int TERMINAL_RANK = 5;

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
}
