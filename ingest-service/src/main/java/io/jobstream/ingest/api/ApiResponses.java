package io.jobstream.ingest.api;

import java.time.Instant;
import java.util.List;

import io.jobstream.ingest.admin.DeadLetter;

import tools.jackson.databind.JsonNode;

/** The REST API's response bodies. Every one carries {@code success}, as the agent queue API's did. */
public final class ApiResponses {

    private ApiResponses() {
    }

    public record JobResponse(boolean success, JobView job) {
        public JobResponse(JobView job) {
            this(true, job);
        }
    }

    /**
     * @param count jobs in this page
     * @param total jobs matching the filter
     */
    public record JobListResponse(boolean success, int count, long total, int limit, int offset, List<JobView> jobs) {
        public JobListResponse(long total, int limit, int offset, List<JobView> jobs) {
            this(true, jobs.size(), total, limit, offset, jobs);
        }
    }

    /** {@code GET /api/jobs/{id}/result}: one of three shapes, as the agent queue API returned. */
    public sealed interface ResultResponse {
    }

    public record CompletedResult(boolean success, JsonNode result) implements ResultResponse {
        public CompletedResult(JsonNode result) {
            this(true, result);
        }
    }

    public record UnfinishedResult(boolean success, String message, String status, int progress) implements ResultResponse {
        public UnfinishedResult(String message, String status, int progress) {
            this(false, message, status, progress);
        }
    }

    public record FailedResult(boolean success, String message, String error) implements ResultResponse {
        public FailedResult(String error) {
            this(false, "Job failed", error);
        }
    }

    public record QueuesResponse(boolean success, List<QueueSummary> queues) {
        public QueuesResponse(List<QueueSummary> queues) {
            this(true, queues);
        }
    }

    public record QueueResponse(boolean success, QueueSummary queue) {
        public QueueResponse(QueueSummary queue) {
            this(true, queue);
        }
    }

    /** A job operation's answer: what happened, and the job's status word afterwards (before, for a cancel). */
    public record JobActionResponse(boolean success, String message, String jobId, String status) {
        public JobActionResponse(String message, String jobId, String status) {
            this(true, message, jobId, status);
        }
    }

    public record ActionResponse(boolean success, String message) {
        public ActionResponse(String message) {
            this(true, message);
        }
    }

    public record CleanResponse(boolean success, String message, int removed) {
        public CleanResponse(String message, int removed) {
            this(true, message, removed);
        }
    }

    /**
     * @param count dead letters in this page
     * @param total dead-lettered jobs of the queue
     */
    public record DeadLettersResponse(boolean success, int count, int total, int limit, int offset,
                                      List<DeadLetterView> deadLetters) {
        public DeadLettersResponse(int total, int limit, int offset, List<DeadLetterView> deadLetters) {
            this(true, deadLetters.size(), total, limit, offset, deadLetters);
        }
    }

    /**
     * A dead letter as the admin API lists it.
     *
     * @param jobStatus the job's status now: "failed" until it is retried, then whatever the new run is
     */
    public record DeadLetterView(String jobId, String jobType, String key, String step, int attempts, String errorClass,
                                 String error, Instant firstFailedAt, Instant lastFailedAt, Instant enqueuedAt,
                                 String originalTopic, int partition, long offset, int sizeBytes, String jobStatus) {

        public static DeadLetterView of(DeadLetter letter, String jobStatus) {
            return new DeadLetterView(letter.job().jobId(), letter.job().jobType(), letter.key(), letter.step(), letter.attempts(),
                    letter.exceptionClass(), letter.exceptionMessage(), letter.firstFailureAt(), letter.lastFailureAt(),
                    letter.job().enqueuedAt(), letter.originalTopic(), letter.partition(), letter.offset(),
                    letter.value() == null ? 0 : letter.value().length, jobStatus);
        }
    }

    public record ReplayResponse(boolean success, int count, List<String> replayed, int skipped) {
        public ReplayResponse(List<String> replayed, int skipped) {
            this(true, replayed.size(), replayed, skipped);
        }
    }
}
