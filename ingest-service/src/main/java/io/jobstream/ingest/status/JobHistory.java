package io.jobstream.ingest.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.jobstream.events.AttemptFailure;
import io.jobstream.events.JobAttempts;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;

/**
 * The {@value JobStatusTopology#HISTORY_STORE} store's fold: every failed attempt of a job (BullMQ's
 * {@code stacktrace} list), from the failure events the status fold accepts. It sits beside the status
 * store in one task, so whoever owns a job's status owns its history, and a removed job loses both.
 * Runs follow each other in one list (a retried failed job keeps the failures that made it fail).
 */
public final class JobHistory {

    /** Failed attempts kept per job, the newest; with stacks of at most a few KB each. */
    public static final int MAX_ATTEMPTS = 25;

    private static final Comparator<AttemptFailure> ORDER = Comparator.comparing(AttemptFailure::getEnqueuedAt)
            .thenComparingInt(AttemptFailure::getStage)
            .thenComparingInt(AttemptFailure::getAttempt);

    private JobHistory() {
    }

    /**
     * The history after {@code event}; empty when the event is no attempt's failure or that failure
     * is already known (a redelivered event), so nothing needs writing.
     */
    public static Optional<JobAttempts> record(JobAttempts current, JobEvent event) {
        if (!isFailure(event.getState())) {
            return Optional.empty();
        }
        AttemptFailure failure = AttemptFailure.newBuilder()
                .setEnqueuedAt(event.getEnqueuedAt())
                .setStage(event.getStage())
                .setAttempt(event.getAttempt())
                .setState(event.getState())
                .setFailedAt(event.getTimestamp())
                .setStep(event.getStep())
                .setErrorClass(event.getErrorClass())
                .setErrorMessage(event.getErrorMessage())
                .setErrorStack(event.getErrorStack())
                .build();
        List<AttemptFailure> failures = new ArrayList<>(current == null ? List.of() : current.getFailures());
        // One failure per attempt: its retry or its final failure, whichever came first.
        if (failures.stream().anyMatch(known -> ORDER.compare(known, failure) == 0)) {
            return Optional.empty();
        }
        failures.add(failure);
        failures.sort(ORDER);
        List<AttemptFailure> kept = failures.subList(Math.max(0, failures.size() - MAX_ATTEMPTS), failures.size());
        return Optional.of(new JobAttempts(new ArrayList<>(kept)));
    }

    private static boolean isFailure(JobState state) {
        return state == JobState.RETRY_SCHEDULED || state == JobState.FAILED || state == JobState.DEAD_LETTERED;
    }
}
