package io.jobstream.ingest.support;

import java.time.Instant;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;

/** Job events as processors publish them; tests set the fields a transition carries. */
public final class JobEvents {

    private JobEvents() {
    }

    /** An event of attempt 1 of 3, type {@code chat}. */
    public static JobEvent.Builder event(String jobId, String queue, JobState state, Instant enqueuedAt, Instant at) {
        return JobEvent.newBuilder()
                .setJobId(jobId)
                .setQueue(queue)
                .setJobType("chat")
                .setState(state)
                .setAttempt(1)
                .setMaxAttempts(3)
                .setEnqueuedAt(enqueuedAt)
                .setTimestamp(at);
    }
}
