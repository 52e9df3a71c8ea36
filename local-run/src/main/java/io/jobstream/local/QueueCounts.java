package io.jobstream.local;

import tools.jackson.databind.JsonNode;

/**
 * What the launcher reads of {@code GET /api/queues/embedding}. {@code failed} includes the
 * dead-lettered jobs.
 */
record QueueCounts(long completed, long failed, long deadLettered) {

    static QueueCounts of(JsonNode queue) {
        return new QueueCounts(queue.path("completed").asLong(), queue.path("failed").asLong(),
                queue.path("deadLettered").asLong());
    }

    /** Jobs that will not run again: completed or failed for good. */
    long finished() {
        return completed + failed;
    }
}
