package io.jobstream.ingest.queue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpStatus;

import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.api.RejectedRequestException;
import io.jobstream.ingest.submit.JobIds;
import tools.jackson.databind.JsonNode;

/**
 * One job as {@code queue.add(name, data, opts)} takes it, read strictly from JSON: every error
 * names its field ({@code jobs[3].opts.backoff.type}) and the request publishes nothing.
 */
public record NewJob(String name, JsonNode data, Options opts) {

    static final int MAX_NAME = 200;
    /** BullMQ's priority range: 1 (highest) to 2^21. */
    static final long MAX_PRIORITY = 2_097_152;
    static final long MAX_DELAY_MILLIS = 365L * 24 * 3600 * 1000;
    static final Set<String> BACKOFF_TYPES = Set.of("fixed", "exponential");

    /**
     * @param delay   ms before the job may run (BullMQ's {@code delay})
     * @param timeout ms one attempt may take
     */
    public record Options(String jobId, Integer priority, Long delay, Integer attempts, String backoffType, Long backoffDelay,
                          Long timeout, Boolean removeOnComplete, Boolean removeOnFail) {
    }

    /**
     * @param prefix      the field path of this job in the request ("" for a single add, "jobs[3]." in a bulk)
     * @param maxDataSize the data's largest JSON size in bytes; larger is a 413
     */
    public static NewJob read(JsonNode body, String prefix, long maxDataSize) {
        try {
            JsonFields fields = JsonFields.of(body);
            String name = fields.requiredText("name", MAX_NAME);
            JsonNode data = body.get("data");
            if (data == null || data.isNull()) {
                data = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            } else if (!data.isObject()) {
                throw new BadRequestException("data", "must be a JSON object");
            }
            long size = data.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > maxDataSize) {
                throw new RejectedRequestException(HttpStatus.CONTENT_TOO_LARGE, "Job data too large", prefix + "data",
                        "is " + size + " bytes of JSON; the limit is " + maxDataSize);
            }
            return new NewJob(name, data, options(body.get("opts")));
        } catch (BadRequestException e) {
            throw new BadRequestException(prefix + e.field(), e.reason());
        }
    }

    private static Options options(JsonNode opts) {
        if (opts == null || opts.isNull()) {
            return new Options(null, null, null, null, null, null, null, null, null);
        }
        JsonFields fields;
        try {
            fields = JsonFields.of(opts);
        } catch (BadRequestException e) {
            throw new BadRequestException("opts", "must be a JSON object");
        }
        try {
            String jobId = fields.text("jobId", JobIds.MAX_LENGTH);
            if (jobId != null) {
                JobIds.problem(jobId).ifPresent(problem -> {
                    throw new BadRequestException("jobId", problem);
                });
            }
            Long priority = fields.wholeNumber("priority", 0, MAX_PRIORITY);
            Long delay = fields.wholeNumber("delay", 0, MAX_DELAY_MILLIS);
            Long attempts = fields.wholeNumber("attempts", 1, 1000);
            Long timeout = fields.wholeNumber("timeout", 1, MAX_DELAY_MILLIS);
            Backoff backoff = backoff(opts.get("backoff"));
            return new Options(jobId, priority == null || priority == 0 ? null : priority.intValue(), delay,
                    attempts == null ? null : attempts.intValue(), backoff.type(), backoff.delay(), timeout,
                    flag(opts, "removeOnComplete"), flag(opts, "removeOnFail"));
        } catch (BadRequestException e) {
            throw new BadRequestException("opts." + e.field(), e.reason());
        }
    }

    private record Backoff(String type, Long delay) {
    }

    /** BullMQ's {@code backoff}: a number (fixed delay in ms) or {@code {type, delay}}. */
    private static Backoff backoff(JsonNode value) {
        if (value == null || value.isNull()) {
            return new Backoff(null, null);
        }
        if (value.isIntegralNumber()) {
            return new Backoff("fixed", value.longValue());
        }
        if (!value.isObject()) {
            throw new BadRequestException("backoff", "must be a number of ms or {type, delay}");
        }
        JsonFields fields = JsonFields.of(value);
        try {
            String type = fields.requiredText("type", 20);
            if (!BACKOFF_TYPES.contains(type)) {
                throw new BadRequestException("type", "must be fixed or exponential, got '" + type + "'");
            }
            Long delay = fields.wholeNumber("delay", 0, MAX_DELAY_MILLIS);
            return new Backoff(type, Optional.ofNullable(delay).orElse(0L));
        } catch (BadRequestException e) {
            throw new BadRequestException("backoff." + e.field(), e.reason());
        }
    }

    private static Boolean flag(JsonNode opts, String field) {
        JsonNode value = opts.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException(field, "must be true or false");
        }
        return value.booleanValue();
    }

    /** The job's wire form on its queue. */
    public JobRequested envelope() {
        return new JobRequested(name, data.toString(), JobOptions.newBuilder()
                .setJobId(opts.jobId())
                .setPriority(opts.priority())
                .setDelayMillis(opts.delay())
                .setAttempts(opts.attempts())
                .setBackoffType(opts.backoffType())
                .setBackoffDelayMillis(opts.backoffDelay())
                .setTimeoutMillis(opts.timeout())
                .setRemoveOnComplete(opts.removeOnComplete())
                .setRemoveOnFail(opts.removeOnFail())
                .build());
    }
}
