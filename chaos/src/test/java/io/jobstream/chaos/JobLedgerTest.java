package io.jobstream.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobState;

/** A job's state from its events in arrival order, as the chaos run judges recovery and losses by it. */
class JobLedgerTest {

    private static final Instant RUN = Instant.parse("2026-12-06T12:00:00Z");
    private static final Instant NEXT_RUN = RUN.plusSeconds(60);

    @Test
    void aQueuedFromTheIntakeArrivingAfterItsCompletedLeavesTheJobCompleted() {
        // After the broker kill -9 the probes' QUEUED came last: judged by arrival, the fault never recovered.
        assertThat(JobLedger.state(List.of(event(JobState.ACTIVE, RUN, 2), event(JobState.COMPLETED, RUN, 3),
                event(JobState.QUEUED, RUN, 1)))).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void theJobAddedAgainAfterItFinishedIsANewRun() {
        assertThat(JobLedger.state(List.of(event(JobState.QUEUED, RUN, 1), event(JobState.COMPLETED, RUN, 3),
                event(JobState.QUEUED, NEXT_RUN, 61)))).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aSubmissionRacingAnUnfinishedRunStartsNone() {
        assertThat(JobLedger.state(List.of(event(JobState.ACTIVE, RUN, 2), event(JobState.QUEUED, NEXT_RUN, 61),
                event(JobState.COMPLETED, RUN, 70)))).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aDuplicateThatAPipelinesFirstStepRanLeavesTheFinishedRunFinished() {
        // The 10-kill chaos run: a document's duplicate submission went through extraction after the job completed.
        assertThat(JobLedger.state(List.of(event(JobState.ACTIVE, RUN, 2), event(JobState.COMPLETED, RUN, 70),
                event(JobState.QUEUED, NEXT_RUN, 71), event(JobState.PROGRESS, NEXT_RUN, 72))))
                .isEqualTo(JobState.COMPLETED);
    }

    @Test
    void whenTwoSubmissionsRaceTheRunTheWorkerRunsCounts() {
        // The chaos run of 2026-12-07: a client retry's later submission was run, the earlier one dropped.
        Instant retried = RUN.plusMillis(19);
        assertThat(JobLedger.state(List.of(event(JobState.QUEUED, RUN, 1), event(JobState.QUEUED, retried, 1),
                event(JobState.ACTIVE, retried, 2), event(JobState.COMPLETED, retried, 3))))
                .isEqualTo(JobState.COMPLETED);
    }

    @Test
    void removedIsNotAState() {
        assertThat(JobLedger.state(List.of(event(JobState.COMPLETED, RUN, 3), event(JobState.REMOVED, RUN, 90))))
                .isEqualTo(JobState.COMPLETED);
    }

    private static JobLedger.Event event(JobState state, Instant run, int second) {
        return new JobLedger.Event(state, 0, 1, RUN.plusSeconds(second), null, run, null);
    }
}
