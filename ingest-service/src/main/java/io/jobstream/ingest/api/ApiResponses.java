package io.jobstream.ingest.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

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

    /** Every error: {@code {"success": false, "message": ..., "error": {"field": ..., "reason": ...}}}. */
    public record ApiError(boolean success, String message, ErrorDetail error) {
        public ApiError(String message, ErrorDetail error) {
            this(false, message, error);
        }
    }

    /** {@code field} is the request parameter at fault; absent when no single field is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorDetail(String field, String reason) {
    }
}
