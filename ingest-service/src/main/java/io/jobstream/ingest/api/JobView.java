package io.jobstream.ingest.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.jobstream.events.JobState;
import tools.jackson.databind.JsonNode;

/**
 * A job as the REST API shows it: BullMQ's field names ({@code attemptsMade}, {@code failedReason},
 * {@code processedAt}, {@code finishedAt}) with our exact {@code state} next to the BullMQ {@code status}.
 * {@code result} repeats {@code returnValue} because the agent queue API (seed 001) called it that.
 */
public record JobView(
        String id,
        String queue,
        String type,
        String status,
        JobState state,
        int progress,
        String step,
        int attemptsMade,
        int maxAttempts,
        JsonNode data,
        JsonNode returnValue,
        JsonNode result,
        String failedReason,
        JobError error,
        Instant createdAt,
        Instant processedAt,
        Instant finishedAt,
        Instant updatedAt,
        Instant delayedUntil,
        String parentJobId,
        Integer priority,
        String traceId) {

    /** The last failure of the job (kept after a successful retry, as BullMQ does). */
    public record JobError(@JsonProperty("class") String errorClass, String message) {
    }
}
