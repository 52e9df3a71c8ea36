package io.jobstream.core.job;

import java.time.Duration;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;

/**
 * A job to add to a queue (BullMQ's {@code queue.add(name, data, opts)}).
 *
 * @param jobId       client-supplied id (deterministic ids deduplicate), or null for a generated one
 * @param key         the ordering key on the queue's topic; null means the job id
 * @param delay       run no earlier than this from now (BullMQ's {@code delay}); zero for now
 * @param maxAttempts the job's own attempt limit, or null for the queue's
 * @param dataJson    the job's input as shown by the status API; null renders the payload
 */
public record JobSubmission<V extends SpecificRecord>(String jobId, String jobType, String key, V payload,
                                                      Duration delay, Integer priority, Integer maxAttempts,
                                                      String traceId, String parentJobId, String dataJson) {

    public JobSubmission {
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(payload, "payload");
        delay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
    }

    public static <V extends SpecificRecord> JobSubmission<V> of(String jobId, String jobType, V payload) {
        return new JobSubmission<>(jobId, jobType, null, payload, Duration.ZERO, null, null, null, null, null);
    }

    public JobSubmission<V> withKey(String orderingKey) {
        return new JobSubmission<>(jobId, jobType, orderingKey, payload, delay, priority, maxAttempts, traceId, parentJobId, dataJson);
    }

    public JobSubmission<V> withDelay(Duration wait) {
        return new JobSubmission<>(jobId, jobType, key, payload, wait, priority, maxAttempts, traceId, parentJobId, dataJson);
    }

    public JobSubmission<V> withPriority(Integer value) {
        return new JobSubmission<>(jobId, jobType, key, payload, delay, value, maxAttempts, traceId, parentJobId, dataJson);
    }

    public JobSubmission<V> withMaxAttempts(Integer value) {
        return new JobSubmission<>(jobId, jobType, key, payload, delay, priority, value, traceId, parentJobId, dataJson);
    }

    public JobSubmission<V> withParent(String parentId) {
        return new JobSubmission<>(jobId, jobType, key, payload, delay, priority, maxAttempts, traceId, parentId, dataJson);
    }

    public JobSubmission<V> withData(String json) {
        return new JobSubmission<>(jobId, jobType, key, payload, delay, priority, maxAttempts, traceId, parentJobId, json);
    }
}
