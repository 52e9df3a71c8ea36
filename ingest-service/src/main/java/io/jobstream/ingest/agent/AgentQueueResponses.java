package io.jobstream.ingest.agent;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jobstream.ingest.api.JobView;

/** Seed 001's response bodies, field for field. Timestamps are ISO-8601 UTC with milliseconds. */
final class AgentQueueResponses {

    private AgentQueueResponses() {
    }

    record ChatQueued(boolean success, String jobId, String message, String statusUrl, String timestamp) {
    }

    record BatchQueued(boolean success, String jobId, int messageCount, String message, String statusUrl, String timestamp) {
    }

    record JobAnswer(boolean success, JobView job) {
    }

    record JobList(boolean success, int count, List<JobView> jobs) {
    }

    record Stats(long waiting, long active, long completed, long failed, long delayed, long paused, long total) {
    }

    record StatsAnswer(boolean success, Stats stats, String timestamp) {
    }

    record HealthStats(long waiting, long active, long completed, long failed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(boolean success, String status, String service, HealthStats stats, String error, String timestamp) {
    }
}
