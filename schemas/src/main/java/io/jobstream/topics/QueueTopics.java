package io.jobstream.topics;

import java.time.Duration;
import java.util.List;

/**
 * The three topics of one queue: {@code Q.requests} (work), {@code Q.requests.retry} (records
 * waiting for a due time: retry back-off and delayed jobs) and {@code Q.requests.dlq} (dead letters).
 */
public record QueueTopics(String queue, int partitions) {

    private static final Duration REQUEST_RETENTION = Duration.ofDays(7);
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    public String requests() {
        return queue + ".requests";
    }

    public String retry() {
        return requests() + ".retry";
    }

    public String deadLetters() {
        return requests() + ".dlq";
    }

    public List<TopicSpec> specs() {
        return List.of(
                TopicSpec.deleting(requests(), partitions, REQUEST_RETENTION),
                TopicSpec.deleting(retry(), partitions, REQUEST_RETENTION),
                TopicSpec.deleting(deadLetters(), partitions, DEAD_LETTER_RETENTION));
    }
}
