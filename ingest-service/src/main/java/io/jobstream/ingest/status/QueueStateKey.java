package io.jobstream.ingest.status;

import io.jobstream.events.JobState;

/** Key of the job counts store: {@code queue|STATE}. State names never contain the separator. */
public record QueueStateKey(String queue, JobState state) {

    private static final char SEPARATOR = '|';

    public static QueueStateKey decode(String key) {
        int at = key.lastIndexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException("not a queue|state key: " + key);
        }
        return new QueueStateKey(key.substring(0, at), JobState.valueOf(key.substring(at + 1)));
    }

    public String encode() {
        return queue + SEPARATOR + state.name();
    }
}
