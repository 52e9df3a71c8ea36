package io.jobstream.core.job;

import java.time.Instant;

import io.jobstream.events.JobState;

/** A job as accepted by its queue: QUEUED, or DELAYED until {@code dueAt}. */
public record SubmittedJob(String jobId, String queue, JobState state, Instant enqueuedAt, Instant dueAt) {
}
