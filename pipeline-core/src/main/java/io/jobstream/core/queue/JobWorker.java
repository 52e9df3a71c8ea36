package io.jobstream.core.queue;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.Topology;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.topics.TopicCatalog;

/**
 * A handler for a declared queue (BullMQ's {@code new Worker(queue, processor)}), declared as a
 * bean in any processor service: its Kafka Streams application then runs the queue's worker with
 * the queue's settings from {@code jobstream.queues.<queue>}.
 *
 * <pre>
 * &#64;Bean
 * JobWorker&lt;JsonNode&gt; thumbnails() {
 *     return JobWorker.json("thumbnails", job -> Map.of("url", render(job.data().get("image").asString())));
 * }
 * </pre>
 *
 * The handler's result becomes the job's JSON return value.
 */
public record JobWorker<V>(String queue, Serde<V> payload, JobHandler<V, ?> handler) {

    public JobWorker {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(handler, "handler");
    }

    /** A queue whose jobs' data is any JSON object. */
    public static JobWorker<tools.jackson.databind.JsonNode> json(String queue,
                                                                  JobHandler<tools.jackson.databind.JsonNode, ?> handler) {
        return new JobWorker<>(queue, JobPayloads.json(), handler);
    }

    /** A queue whose jobs carry an Avro record; jobs added as JSON are converted to it. */
    public static <V extends SpecificRecord> JobWorker<V> avro(String queue, Class<V> type, JobHandler<V, ?> handler) {
        return new JobWorker<>(queue, JobPayloads.avro(type), handler);
    }

    /**
     * Adds the queue's worker to {@code topology}.
     *
     * @param limiter takes a token from the queue's rate-limit bucket before each job, if it names one
     */
    public Topology addTo(Topology topology, QueueProperties.Queue settings, RateLimiter limiter) {
        JobHandler<V, Object> limited = settings.rateLimit().isBlank()
                ? handler::handle
                : job -> {
                    limiter.takeForJob(settings.rateLimit());
                    return handler.handle(job);
                };
        return QueueWorker.forQueue(TopicCatalog.queue(queue), payload, limited)
                .concurrency(settings.asyncStep())
                .retry(settings.retry().policy())
                .returnValue(JobWorker::returnValue)
                .build()
                .addTo(topology);
    }

    private static String returnValue(Object result) {
        return JobPayloads.JSON.writeValueAsString(result);
    }
}
