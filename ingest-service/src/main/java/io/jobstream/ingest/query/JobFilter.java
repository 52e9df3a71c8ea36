package io.jobstream.ingest.query;

import java.util.Set;

import io.jobstream.events.JobState;
import io.jobstream.events.JobStatus;

/**
 * Which jobs a listing returns.
 *
 * @param queue  only this queue; null for every queue
 * @param states   only these states; empty for every state
 * @param idPrefix only job ids starting with it; null for every id
 */
public record JobFilter(String queue, Set<JobState> states, String idPrefix) {

    public JobFilter {
        states = Set.copyOf(states);
    }

    public JobFilter(String queue, Set<JobState> states) {
        this(queue, states, null);
    }

    public static JobFilter any() {
        return new JobFilter(null, Set.of());
    }

    public boolean matches(JobStatus status) {
        return (queue == null || queue.equals(status.getQueue()))
                && (states.isEmpty() || states.contains(status.getState()))
                && (idPrefix == null || status.getJobId().startsWith(idPrefix));
    }
}
