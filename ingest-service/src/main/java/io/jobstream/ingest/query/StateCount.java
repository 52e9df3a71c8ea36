package io.jobstream.ingest.query;

import io.jobstream.events.JobState;

/** How many jobs of one queue are in one state. */
public record StateCount(String queue, JobState state, long count) {
}
