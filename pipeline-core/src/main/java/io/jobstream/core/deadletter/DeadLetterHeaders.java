package io.jobstream.core.deadletter;

import java.time.Instant;

import org.apache.kafka.common.header.Headers;

import io.jobstream.core.job.JobHeaders;

/**
 * Why and from where a record reached a dead-letter topic. The job's own headers stay on the
 * record, so a dead letter can be replayed into its queue as it was.
 */
public final class DeadLetterHeaders {

    public static final String ORIGINAL_TOPIC = "dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "dlq-original-offset";
    public static final String EXCEPTION_CLASS = "dlq-exception-class";
    public static final String EXCEPTION_MESSAGE = "dlq-exception-message";
    public static final String ATTEMPTS = "dlq-attempts";
    public static final String FIRST_FAILURE_AT = "dlq-first-failure-at";
    public static final String LAST_FAILURE_AT = "dlq-last-failure-at";
    /** The pipeline step that failed, where a queue is one step of a longer pipeline. */
    public static final String STEP = "dlq-step";

    private DeadLetterHeaders() {
    }

    public static void write(Headers headers, Source source, Throwable error, int attempts,
                             Instant firstFailure, Instant lastFailure, String step) {
        JobHeaders.put(headers, ORIGINAL_TOPIC, source.topic());
        JobHeaders.put(headers, ORIGINAL_PARTITION, source.partition());
        JobHeaders.put(headers, ORIGINAL_OFFSET, source.offset());
        JobHeaders.put(headers, EXCEPTION_CLASS, error.getClass().getName());
        JobHeaders.put(headers, EXCEPTION_MESSAGE, String.valueOf(error.getMessage()));
        JobHeaders.put(headers, ATTEMPTS, attempts);
        JobHeaders.put(headers, FIRST_FAILURE_AT, firstFailure.toEpochMilli());
        JobHeaders.put(headers, LAST_FAILURE_AT, lastFailure.toEpochMilli());
        JobHeaders.put(headers, STEP, step);
    }

    /** Where the failed record was read. */
    public record Source(String topic, int partition, long offset) {
    }
}
