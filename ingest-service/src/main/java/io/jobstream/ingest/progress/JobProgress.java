package io.jobstream.ingest.progress;

import java.time.Instant;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.api.JobStatusWords;
import tools.jackson.databind.JsonNode;

/** One job event as an SSE {@code progress} event carries it. */
public record JobProgress(String jobId, String queue, String type, String status, JobState state, Integer progress,
                          String step, int attempt, String error, JsonNode returnValue, Instant at) {

    static JobProgress of(JobEvent event, JsonNode returnValue) {
        return new JobProgress(event.getJobId(), event.getQueue(), event.getJobType(), JobStatusWords.of(event.getState()),
                event.getState(), event.getProgress(), event.getStep(), event.getAttempt(), event.getErrorMessage(), returnValue,
                event.getTimestamp());
    }
}
