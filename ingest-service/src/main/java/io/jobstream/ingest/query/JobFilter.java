package io.jobstream.ingest.query;

import java.util.Set;

import io.jobstream.events.JobState;
import io.jobstream.events.JobStatus;

/**
 * Which jobs a listing returns.
 *
 * @param queue  only this queue; null for every queue
 * @param states only these states; empty for every state
 */
public record JobFilter(String queue, Set<JobState> states) {

    public JobFilter {
        states = Set.copyOf(states);
    }

    public static JobFilter any() {
        return new JobFilter(null, Set.of());
    }

    public boolean matches(JobStatus status) {
        return (queue == null || queue.equals(status.getQueue()))
                && (states.isEmpty() || states.contains(status.getState()));
    }
}
