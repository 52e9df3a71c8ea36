package io.jobstream.core.job;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names a job record carries on its queue's topics. The record's value stays the job's
 * own Avro payload; what the machinery needs to know about the job travels beside it.
 * Values are UTF-8 text so they read plainly in any console consumer.
 */
public final class JobHeaders {

    public static final String JOB_ID = "job-id";
    public static final String JOB_TYPE = "job-type";
    /** 1-based number of the attempt this record is for. */
    public static final String ATTEMPT = "attempt";
    /** 0-based step of a multi-step pipeline; each intermediate step hands its result on one stage further. */
    public static final String STAGE = "stage";
    /** Per-job override of the queue's attempt limit. */
    public static final String MAX_ATTEMPTS = "max-attempts";
    /** When this run was submitted (epoch ms): identifies the run for de-duplication. */
    public static final String ENQUEUED_AT = "enqueued-at";
    /** On the retry topic: when the record becomes due (epoch ms). */
    public static final String DUE_AT = "due-at";
    /** When the first attempt of this run failed (epoch ms). */
    public static final String FIRST_FAILURE_AT = "first-failure-at";
    public static final String TRACE_ID = "trace-id";
    public static final String PARENT_JOB_ID = "parent-job-id";
    public static final String PRIORITY = "priority";
    /** Per-job back-off between attempts, overriding the queue's: {@code fixed} or {@code exponential}. */
    public static final String BACKOFF_TYPE = "backoff-type";
    /** Per-job back-off delay (ms): the wait each time (fixed) or after the first failure (exponential). */
    public static final String BACKOFF_DELAY = "backoff-delay";
    /** Per-job time limit of one attempt (ms), overriding the queue's. */
    public static final String TIMEOUT = "timeout";
    /**
     * On a job's record on its queue: no QUEUED event was written with it, the record is the QUEUED
     * fact, and the intake writes its event ({@code JobIntakeTopology}). Its value is the job's data
     * for the status API, or empty when that is the data of the record's {@code JobRequested}
     * envelope. Only a fresh submission carries it: the worker removes it from what it re-queues.
     */
    public static final String QUEUED_BY_RECORD = "queued-by-record";

    private JobHeaders() {
    }

    public static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    public static Optional<Long> number(Headers headers, String name) {
        return text(headers, name).flatMap(value -> {
            try {
                return Optional.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** Replaces any earlier value of the header. */
    public static void put(Headers headers, String name, Object value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
