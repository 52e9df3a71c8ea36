package io.jobstream.ingest.query;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonValue;

import io.jobstream.events.AttemptFailure;

/**
 * One failed attempt of a job (an entry of BullMQ's {@code stacktrace}), and what followed it.
 *
 * @param createdAt when the run the attempt belongs to was added (a retried failed job starts a new run)
 * @param stage     the step of a multi-step pipeline, counted from 0; each step counts its own attempts
 */
public record FailedAttempt(int attempt, int stage, String step, Instant createdAt, Instant failedAt, Outcome outcome,
                            String errorClass, String message, String stack) {

    /** What became of the job after this attempt. */
    public enum Outcome {
        RETRIED("retried"), FAILED("failed"), DEAD_LETTERED("dead-lettered");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        @JsonValue
        public String word() {
            return word;
        }
    }

    static FailedAttempt of(AttemptFailure failure) {
        Outcome outcome = switch (failure.getState()) {
            case RETRY_SCHEDULED -> Outcome.RETRIED;
            case DEAD_LETTERED -> Outcome.DEAD_LETTERED;
            default -> Outcome.FAILED;
        };
        return new FailedAttempt(failure.getAttempt(), failure.getStage(), failure.getStep(), failure.getEnqueuedAt(),
                failure.getFailedAt(), outcome, failure.getErrorClass(), failure.getErrorMessage(), failure.getErrorStack());
    }
}
