package io.jobstream.ingest.status;

import static io.jobstream.ingest.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStatus;

class JobStatusFoldTest {

    private static final String ID = "chat:1";
    private static final String QUEUE = "agent.chat";
    private static final Instant T0 = Instant.parse("2026-01-31T15:30:00Z");
    private static final String DATA = "{\"message\":\"What deals did Mark Cuban make?\"}";

    @Test
    void followsTheLifecycleInOrder() {
        JobStatus status = fold(
                queued(T0).setData(DATA).build(),
                at(JobState.ACTIVE, 2).build(),
                at(JobState.PROGRESS, 3).setProgress(45).setStep("search").build(),
                at(JobState.COMPLETED, 5).setReturnValue("{\"response\":\"...\"}").build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getProgress()).isEqualTo(100);
        assertThat(status.getStep()).isEqualTo("search");
        assertThat(status.getData()).isEqualTo(DATA);
        assertThat(status.getReturnValue()).isEqualTo("{\"response\":\"...\"}");
        assertThat(status.getEnqueuedAt()).isEqualTo(T0);
        assertThat(status.getProcessedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(status.getUpdatedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void lateQueuedNeverOverwritesActive() {
        JobStatus status = fold(at(JobState.ACTIVE, 2).build(), queued(T0).setData(DATA).build());

        assertThat(status.getState()).isEqualTo(JobState.ACTIVE);
        assertThat(status.getProcessedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void lateQueuedNeverOverwritesCompleted() {
        JobStatus status = fold(
                at(JobState.COMPLETED, 5).setReturnValue("42").build(),
                queued(T0).build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getProgress()).isEqualTo(100);
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(5));
        // The status's timestamps never go back in time.
        assertThat(status.getUpdatedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void lateEventsFillWhatTheStatusLacks() {
        JobStatus status = fold(
                at(JobState.COMPLETED, 5).setReturnValue("42").build(),
                at(JobState.ACTIVE, 2).build(),
                queued(T0).setData(DATA).setTraceId("trace-1").setParentJobId("batch:7").setPriority(2).build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getData()).isEqualTo(DATA);
        assertThat(status.getTraceId()).isEqualTo("trace-1");
        assertThat(status.getParentJobId()).isEqualTo("batch:7");
        assertThat(status.getPriority()).isEqualTo(2);
        assertThat(status.getProcessedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void anOutcomeWithoutActiveTellsWhenItsAttemptStarted() {
        JobStatus status = fold(
                queued(T0).build(),
                at(JobState.COMPLETED, 3).setReturnValue("42").setStartedAt(T0.plusSeconds(2)).build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getProcessedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void theEarliestStartOfARunIsItsProcessedAtWhicheverEventTellsIt() {
        JobEvent firstFailure = at(JobState.RETRY_SCHEDULED, 2).setStartedAt(T0.plusSeconds(1)).setDueAt(T0.plusSeconds(4)).build();
        JobEvent secondStart = at(JobState.ACTIVE, 4).setAttempt(2).build();
        JobEvent completed = at(JobState.COMPLETED, 5).setAttempt(2).build();

        JobStatus inOrder = fold(queued(T0).build(), firstFailure, secondStart, completed);
        JobStatus shuffled = fold(completed, secondStart, queued(T0).build(), firstFailure);

        for (JobStatus status : new JobStatus[] {inOrder, shuffled}) {
            assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
            assertThat(status.getProcessedAt()).isEqualTo(T0.plusSeconds(1));
        }
    }

    @Test
    void retriesAreOrderedByAttemptThenState() {
        JobEvent retry = at(JobState.RETRY_SCHEDULED, 3).setDueAt(T0.plusSeconds(5))
                .setErrorClass("java.net.SocketTimeoutException").setErrorMessage("Connection timeout").build();
        JobEvent secondAttempt = at(JobState.ACTIVE, 5).setAttempt(2).build();
        JobEvent secondProgress = at(JobState.PROGRESS, 6).setAttempt(2).setProgress(20).build();

        JobStatus inOrder = fold(queued(T0).build(), at(JobState.ACTIVE, 1).build(), retry, secondAttempt, secondProgress);
        // The first attempt's events arrive after the second attempt started: they change nothing.
        JobStatus shuffled = fold(secondProgress, secondAttempt, retry, at(JobState.ACTIVE, 1).build(), queued(T0).build());

        for (JobStatus status : new JobStatus[] {inOrder, shuffled}) {
            assertThat(status.getState()).isEqualTo(JobState.PROGRESS);
            assertThat(status.getAttempt()).isEqualTo(2);
            assertThat(status.getProgress()).isEqualTo(20);
            assertThat(status.getDueAt()).isNull();
            assertThat(status.getProcessedAt()).isEqualTo(T0.plusSeconds(1));
            // The last failure stays visible while the retry runs.
            assertThat(status.getErrorMessage()).isEqualTo("Connection timeout");
        }
    }

    @Test
    void retryScheduledRecordsTheDueTimeAndError() {
        JobStatus status = fold(
                queued(T0).build(),
                at(JobState.ACTIVE, 1).build(),
                at(JobState.RETRY_SCHEDULED, 3).setDueAt(T0.plusSeconds(5))
                        .setErrorClass("java.io.IOException").setErrorMessage("503 from provider").build());

        assertThat(status.getState()).isEqualTo(JobState.RETRY_SCHEDULED);
        assertThat(status.getDueAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(status.getErrorClass()).isEqualTo("java.io.IOException");
        assertThat(status.getErrorMessage()).isEqualTo("503 from provider");
    }

    @Test
    void progressOnlyMovesForward() {
        JobStatus status = fold(
                at(JobState.PROGRESS, 3).setProgress(60).setStep("embed").build(),
                at(JobState.PROGRESS, 2).setProgress(30).setStep("chunk").build());

        assertThat(status.getProgress()).isEqualTo(60);
        assertThat(status.getStep()).isEqualTo("embed");
    }

    @Test
    void firstTerminalEventWins() {
        JobStatus failedFirst = fold(
                at(JobState.ACTIVE, 1).build(),
                at(JobState.FAILED, 4).setErrorClass("IllegalArgumentException").setErrorMessage("bad input").build(),
                at(JobState.COMPLETED, 5).setReturnValue("42").build());
        JobStatus completedFirst = fold(
                at(JobState.ACTIVE, 1).build(),
                at(JobState.COMPLETED, 5).setReturnValue("42").build(),
                at(JobState.CANCELLED, 4).build());

        assertThat(failedFirst.getState()).isEqualTo(JobState.FAILED);
        assertThat(failedFirst.getReturnValue()).isNull();
        assertThat(failedFirst.getFinishedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(completedFirst.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(completedFirst.getFinishedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aLaterAttemptOutranksAnEarlierTerminalEvent() {
        JobStatus status = fold(
                at(JobState.FAILED, 4).setErrorMessage("first attempt failed").build(),
                at(JobState.ACTIVE, 6).setAttempt(2).build());

        assertThat(status.getState()).isEqualTo(JobState.ACTIVE);
        assertThat(status.getAttempt()).isEqualTo(2);
    }

    @Test
    void aNewRunResetsProgressErrorAndResult() {
        Instant rerun = T0.plusSeconds(60);
        JobStatus status = fold(
                queued(T0).setData(DATA).build(),
                at(JobState.PROGRESS, 2).setProgress(50).build(),
                at(JobState.FAILED, 3).setErrorClass("java.io.IOException").setErrorMessage("down").build(),
                event(ID, QUEUE, JobState.QUEUED, rerun, rerun).setData("{\"message\":\"again\"}").build(),
                event(ID, QUEUE, JobState.ACTIVE, rerun, rerun.plusSeconds(1)).build());

        assertThat(status.getState()).isEqualTo(JobState.ACTIVE);
        assertThat(status.getEnqueuedAt()).isEqualTo(rerun);
        assertThat(status.getProgress()).isZero();
        assertThat(status.getErrorClass()).isNull();
        assertThat(status.getErrorMessage()).isNull();
        assertThat(status.getReturnValue()).isNull();
        assertThat(status.getFinishedAt()).isNull();
        assertThat(status.getProcessedAt()).isEqualTo(rerun.plusSeconds(1));
        assertThat(status.getData()).isEqualTo("{\"message\":\"again\"}");
    }

    @Test
    void aReopenedFlowsNewRunStartsAtTheProgressItsSubmissionCarries() {
        Instant reopened = T0.plusSeconds(60);
        JobStatus status = fold(
                queued(T0).build(),
                at(JobState.PROGRESS, 2).setProgress(87).build(),
                at(JobState.FAILED, 3).setErrorMessage("follow-up job e-1 failed").build(),
                event(ID, QUEUE, JobState.QUEUED, reopened, reopened).setProgress(87).build());

        assertThat(status.getState()).isEqualTo(JobState.QUEUED);
        assertThat(status.getProgress()).isEqualTo(87);
        assertThat(status.getErrorMessage()).isNull();
    }

    @Test
    void aDuplicateSubmittedWhileTheRunIsUnfinishedDoesNotHideIt() {
        Instant duplicate = T0.plusSeconds(1);
        JobStatus status = fold(
                queued(T0).setData(DATA).build(),
                at(JobState.ACTIVE, 1).build(),
                event(ID, QUEUE, JobState.QUEUED, duplicate, duplicate).setData("{\"message\":\"dup\"}").build(),
                at(JobState.COMPLETED, 2).setReturnValue("{\"ok\":true}").build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getEnqueuedAt()).isEqualTo(T0);
        assertThat(status.getData()).isEqualTo(DATA);
    }

    @Test
    void aDuplicatesQueuedFromTheIntakeArrivingAfterTheRunItRacedHasFinishedDoesNotStartARun() {
        Instant duplicate = T0.plusSeconds(1);
        JobStatus status = fold(
                queued(T0).setData(DATA).build(),
                at(JobState.ACTIVE, 1).build(),
                at(JobState.COMPLETED, 2).setReturnValue("{\"ok\":true}").build(),
                event(ID, QUEUE, JobState.QUEUED, duplicate, duplicate).setData("{\"message\":\"dup\"}").build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getEnqueuedAt()).isEqualTo(T0);
        assertThat(status.getData()).isEqualTo(DATA);
    }

    /**
     * The 10-kill chaos run: a document submitted again (a client retry) while its run was past extraction went
     * through extraction, whose dedupe knows only its own step, before a later step dropped it. Its PROGRESS,
     * arriving after the run's COMPLETED, left the job "active" for good.
     */
    @Test
    void eventsOfADuplicateThatAPipelinesFirstStepRanNeverReopenTheRun() {
        Instant duplicate = T0.plusSeconds(1);
        JobStatus status = fold(
                queued(T0).setData(DATA).build(),
                at(JobState.ACTIVE, 1).setStage(2).build(),
                event(ID, QUEUE, JobState.QUEUED, duplicate, duplicate).build(),
                event(ID, QUEUE, JobState.PROGRESS, duplicate, T0.plusSeconds(2)).setProgress(25).build(),
                at(JobState.COMPLETED, 3).setStage(3).setReturnValue("{\"ok\":true}").build(),
                event(ID, QUEUE, JobState.PROGRESS, duplicate, T0.plusSeconds(4)).setProgress(50).build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getEnqueuedAt()).isEqualTo(T0);
        assertThat(status.getProgress()).isEqualTo(100);
    }

    /**
     * The chaos run of 2026-12-07: a client retry submitted a document twice, 19 ms apart, during a broker
     * restart. The later submission reached the queue's partition first, so the worker ran it and dropped the
     * earlier one; the status, holding the earlier run's QUEUED, ignored every event of the run that completed.
     */
    @Test
    void whenTwoSubmissionsRaceTheRunTheWorkerRunsIsTheJobsRun() {
        Instant later = T0.plusMillis(19);
        JobStatus status = fold(
                queued(T0).setData(DATA).build(),
                event(ID, QUEUE, JobState.QUEUED, later, later).build(),
                event(ID, QUEUE, JobState.ACTIVE, later, T0.plusSeconds(1)).build(),
                event(ID, QUEUE, JobState.COMPLETED, later, T0.plusSeconds(2)).setReturnValue("{\"ok\":true}").build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getEnqueuedAt()).isEqualTo(later);
        assertThat(status.getReturnValue()).isEqualTo("{\"ok\":true}");
        assertThat(status.getData()).as("from the earlier submission of the same job").isEqualTo(DATA);
    }

    @Test
    void aSubmissionAfterTheRunFinishedStartsANewRunWhenEverItArrives() {
        Instant rerun = T0.plusSeconds(3);
        JobStatus status = fold(
                queued(T0).build(),
                at(JobState.COMPLETED, 2).build(),
                event(ID, QUEUE, JobState.QUEUED, rerun, rerun).setData("{\"message\":\"again\"}").build());

        assertThat(status.getState()).isEqualTo(JobState.QUEUED);
        assertThat(status.getEnqueuedAt()).isEqualTo(rerun);
    }

    @Test
    void aLateQueuedFillsTheDataOfItsFinishedRunWithoutReopeningIt() {
        JobStatus status = fold(
                at(JobState.ACTIVE, 1).build(),
                at(JobState.DEAD_LETTERED, 2).setErrorMessage("bad input").build(),
                queued(T0).setData(DATA).build());

        assertThat(status.getState()).isEqualTo(JobState.DEAD_LETTERED);
        assertThat(status.getData()).isEqualTo(DATA);
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(status.getErrorMessage()).isEqualTo("bad input");
    }

    @Test
    void aLateQueuedWithRemoveOnCompleteForgetsItsCompletedRun() {
        JobStatus completed = fold(at(JobState.ACTIVE, 1).build(), at(JobState.COMPLETED, 2).build());

        assertThat(JobStatusFold.apply(completed, queued(T0).setRemoveOnComplete(true).build())).isNull();
    }

    @Test
    void eventsOfAnEarlierRunAreIgnored() {
        Instant rerun = T0.plusSeconds(60);
        JobStatus status = fold(
                event(ID, QUEUE, JobState.QUEUED, rerun, rerun).build(),
                at(JobState.COMPLETED, 5).setReturnValue("old").build(),
                queued(T0).setData(DATA).build());

        assertThat(status.getState()).isEqualTo(JobState.QUEUED);
        assertThat(status.getEnqueuedAt()).isEqualTo(rerun);
        assertThat(status.getReturnValue()).isNull();
        assertThat(status.getData()).isNull();
    }

    @Test
    void delayedJobsKeepTheirDueTimeUntilTheyRun() {
        JobStatus delayed = fold(at(JobState.DELAYED, 0).setDueAt(T0.plusSeconds(30)).setData(DATA).build());
        JobStatus running = JobStatusFold.apply(delayed, at(JobState.ACTIVE, 30).build());

        assertThat(delayed.getState()).isEqualTo(JobState.DELAYED);
        assertThat(delayed.getDueAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(running.getDueAt()).isNull();
    }

    @Test
    void deadLetteredRecordsTheErrorAndFinishTime() {
        JobStatus status = fold(
                at(JobState.ACTIVE, 1).build(),
                at(JobState.DEAD_LETTERED, 2).setErrorClass("PoisonRecord").setErrorMessage("cannot parse").build());

        assertThat(status.getState()).isEqualTo(JobState.DEAD_LETTERED);
        assertThat(status.getErrorClass()).isEqualTo("PoisonRecord");
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aLaterStageOfAPipelineOutranksAnEarlierStagesRetries() {
        // Extraction (stage 0) needed two attempts; the next steps count their own attempts from 1.
        JobStatus status = fold(
                at(JobState.RETRY_SCHEDULED, 1).setAttempt(1).build(),
                at(JobState.PROGRESS, 3).setAttempt(2).setProgress(100).setStep("document.extraction").build(),
                at(JobState.ACTIVE, 4).setStage(1).setAttempt(1).build(),
                at(JobState.COMPLETED, 6).setStage(3).setAttempt(1).build(),
                at(JobState.PROGRESS, 5).setStage(2).setAttempt(1).setProgress(100).setStep("document.ner").build());

        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getStage()).isEqualTo(3);
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void aCancelledRunStaysCancelledWhateverItsWorkerReportsAfterwards() {
        JobStatus status = fold(
                at(JobState.ACTIVE, 1).build(),
                at(JobState.CANCELLED, 2).setErrorMessage("cancelled by request").build(),
                at(JobState.RETRY_SCHEDULED, 3).setErrorMessage("interrupted").build(),
                at(JobState.ACTIVE, 4).setAttempt(2).build());

        assertThat(status.getState()).isEqualTo(JobState.CANCELLED);
        assertThat(status.getErrorMessage()).isEqualTo("cancelled by request");
        assertThat(status.getFinishedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void removedForgetsTheRunItNamesButNotALaterOne() {
        JobStatus completed = fold(queued(T0).build(), at(JobState.COMPLETED, 2).build());

        assertThat(JobStatusFold.apply(completed, at(JobState.REMOVED, 10).build())).isNull();
        assertThat(JobStatusFold.apply(null, at(JobState.REMOVED, 10).build())).isNull();
        JobEvent removalOfAnOlderRun = event(ID, QUEUE, JobState.REMOVED, T0.minusSeconds(60), T0.plusSeconds(10)).build();
        assertThat(JobStatusFold.apply(completed, removalOfAnOlderRun)).isEqualTo(completed);
    }

    @Test
    void aJobSubmittedWithRemoveOnCompleteIsForgottenWhenItCompletesNotBefore() {
        JobStatus active = fold(queued(T0).setRemoveOnComplete(true).build(), at(JobState.ACTIVE, 1).build());
        assertThat(active.getState()).isEqualTo(JobState.ACTIVE);

        assertThat(JobStatusFold.apply(active, at(JobState.COMPLETED, 2).build())).isNull();
        assertThat(JobStatusFold.apply(active, at(JobState.FAILED, 2).build()).getState()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aJobSubmittedWithRemoveOnFailIsForgottenWhenItFailsForGood() {
        JobStatus retrying = fold(queued(T0).setRemoveOnFail(true).build(), at(JobState.RETRY_SCHEDULED, 1).build());
        assertThat(retrying.getState()).isEqualTo(JobState.RETRY_SCHEDULED);

        assertThat(JobStatusFold.apply(retrying, at(JobState.DEAD_LETTERED, 2).build())).isNull();
        assertThat(JobStatusFold.apply(retrying, at(JobState.COMPLETED, 2).build()).getState()).isEqualTo(JobState.COMPLETED);
    }

    private static JobEvent.Builder queued(Instant at) {
        return event(ID, QUEUE, JobState.QUEUED, T0, at);
    }

    private static JobEvent.Builder at(JobState state, int secondsAfterEnqueue) {
        return event(ID, QUEUE, state, T0, T0.plusSeconds(secondsAfterEnqueue));
    }

    private static JobStatus fold(JobEvent... events) {
        JobStatus status = null;
        for (JobEvent event : events) {
            status = JobStatusFold.apply(status, event);
        }
        return status;
    }
}
