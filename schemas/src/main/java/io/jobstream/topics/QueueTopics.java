package io.jobstream.topics;

import java.time.Duration;
import java.util.List;

/**
 * The three topics of one queue: {@code Q.requests} (work), {@code Q.requests.retry} (records
 * waiting for a due time: retry back-off and delayed jobs) and {@code Q.requests.dlq} (dead letters).
 */
public record QueueTopics(String queue, int partitions) {

    static final String REQUESTS_SUFFIX = ".requests";
    static final String RETRY_SUFFIX = ".requests.retry";
    static final String DEAD_LETTERS_SUFFIX = ".requests.dlq";

    private static final Duration REQUEST_RETENTION = Duration.ofDays(7);
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    public String requests() {
        return queue + REQUESTS_SUFFIX;
    }

    public String retry() {
        return queue + RETRY_SUFFIX;
    }

    public String deadLetters() {
        return queue + DEAD_LETTERS_SUFFIX;
    }

    public List<TopicSpec> specs() {
        return List.of(
                TopicSpec.deleting(requests(), partitions, REQUEST_RETENTION),
                TopicSpec.deleting(retry(), partitions, REQUEST_RETENTION),
                TopicSpec.deleting(deadLetters(), partitions, DEAD_LETTER_RETENTION));
    }
}
