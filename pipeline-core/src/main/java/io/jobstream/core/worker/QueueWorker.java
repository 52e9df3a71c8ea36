package io.jobstream.core.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStep;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.control.QueueControl;
import io.jobstream.core.dedupe.JobDeduplicator;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.job.JobMetadataReader;
import io.jobstream.core.metrics.JobMetrics;
import io.jobstream.core.retry.FailureClassifier;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.retry.RetryTimer;
import io.jobstream.core.store.ParkedRecordSerde;
import io.jobstream.core.store.ShortLivedKeysStoreBuilder;
import io.jobstream.core.store.UnfinishedJobSerde;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobLog;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * A worker for one queue (BullMQ's {@code Worker}), added to a topology as two sub-topologies:
 *
 * <pre>
 *   Q.requests ─► dedupe ─► AsyncStep(handler) ─► outcome ─┬─► jobs.events      (every transition)
 *                                                          ├─► jobs.logs        (job.log lines)
 *                                                          ├─► output topic     (result, optional)
 *                                                          ├─► Q.requests.retry (transient failure, attempts left)
 *                                                          └─► Q.requests.dlq   (permanent, or attempts exhausted)
 *   Q.requests.retry ─► retry timer (due-time store, wall-clock punctuator; promoted jobs at once) ─► Q.requests
 *   jobs.control ─► queue-control (global store: pause/resume per queue, cancel and promote per job,
 *                                  read by dedupe, AsyncStep and the retry timer)
 * </pre>
 */
public final class QueueWorker<V, R, O> {

    /** How often the retry timer looks for due and promoted records. */
    private static final Duration TIMER_TICK = Duration.ofMillis(100);

    private final QueueTopics queue;
    private final Serde<V> values;
    private final JobHandler<V, R> handler;
    private final AsyncStepSettings async;
    private final RetryPolicy retry;
    private final String outputTopic;
    private final Serializer<O> outputSerializer;
    private final JobOutput<V, R, O> output;
    private final Function<R, String> returnValue;
    private final boolean completesJob;
    private final JobMetrics metrics;
    private final Semaphore slots;

    private QueueWorker(Builder<V, R, O> builder) {
        this.queue = builder.queue;
        this.values = builder.values;
        this.handler = builder.handler;
        this.async = builder.async;
        this.retry = builder.retry;
        this.outputTopic = builder.outputTopic;
        this.outputSerializer = builder.outputSerializer;
        this.output = builder.output;
        this.returnValue = builder.returnValue;
        this.completesJob = builder.completesJob;
        this.metrics = builder.metrics;
        this.slots = new Semaphore(async.concurrency());
    }

    public static <V, R> Builder<V, R, Void> forQueue(QueueTopics queue, Serde<V> values, JobHandler<V, R> handler) {
        return new Builder<>(queue, values, handler);
    }

    /** The queue's unfinished jobs: the run of each (job-id deduplication) and the records the worker holds. */
    public String unfinishedStore() {
        return queue.queue() + "-unfinished";
    }

    public String timerStore() {
        return queue.queue() + "-retry-timer";
    }

    public Topology addTo(Topology topology) {
        String name = queue.queue();
        JobMetadataReader metadata = JobMetadataReader.forQueue(name, retry.attempts());
        QueueControl.addTo(topology);
        metrics.inFlight(name, slots, async.concurrency());

        topology.addSource(name + "-requests", new StringDeserializer(), values.deserializer(), queue.requests())
                .addProcessor(name + "-dedupe", () -> new JobDeduplicator<V>(unfinishedStore(), metadata), name + "-requests")
                .addProcessor(name + "-step", () -> new AsyncStep<>(name, unfinishedStore(), values, handler, metadata, async, slots, metrics),
                        name + "-dedupe")
                .addProcessor(name + "-outcome", () -> new OutcomeRouter<>(name, name + "-", unfinishedStore(), retry, FailureClassifier.DEFAULT, output,
                        returnValue, completesJob, metrics), name + "-step")
                // A job's put and delete usually fall in one commit interval: then neither reaches the changelog.
                .addStateStore(ShortLivedKeysStoreBuilder.of(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(unfinishedStore()), Serdes.String(), new UnfinishedJobSerde())),
                        name + "-dedupe", name + "-step", name + "-outcome")
                .addSink(name + "-" + OutcomeRouter.EVENTS, TopicCatalog.JOB_EVENTS, new StringSerializer(),
                        AvroSerde.of(JobEvent.class).serializer(), name + "-outcome")
                .addSink(name + "-" + OutcomeRouter.RETRY, queue.retry(), new StringSerializer(), new ByteArraySerializer(),
                        name + "-outcome")
                .addSink(name + "-" + OutcomeRouter.DEAD_LETTERS, queue.deadLetters(), new StringSerializer(),
                        new ByteArraySerializer(), name + "-outcome")
                .addSink(name + "-" + OutcomeRouter.LOGS, TopicCatalog.JOB_LOGS, new StringSerializer(),
                        AvroSerde.of(JobLog.class).serializer(), name + "-outcome")
                .addSink(name + "-" + OutcomeRouter.CONTROL, TopicCatalog.JOB_CONTROL, new StringSerializer(),
                        new ByteArraySerializer(), name + "-outcome");
        if (outputTopic != null) {
            topology.addSink(name + "-" + OutcomeRouter.OUTPUT, outputTopic, new StringSerializer(), outputSerializer,
                    name + "-outcome");
        }

        topology.addSource(name + "-retries", new StringDeserializer(), new ByteArrayDeserializer(), queue.retry())
                .addProcessor(name + "-timer", () -> new RetryTimer(name, timerStore(), TIMER_TICK), name + "-retries")
                // A promoted job is often parked and released within one commit interval.
                .addStateStore(ShortLivedKeysStoreBuilder.of(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(timerStore()), Serdes.Bytes(), new ParkedRecordSerde())),
                        name + "-timer")
                .addSink(name + "-" + RetryTimer.DUE, queue.requests(), new StringSerializer(), new ByteArraySerializer(),
                        name + "-timer")
                .addSink(name + "-" + RetryTimer.CONTROL, TopicCatalog.JOB_CONTROL, new StringSerializer(),
                        new ByteArraySerializer(), name + "-timer");
        return topology;
    }

    public static final class Builder<V, R, O> {
        private final QueueTopics queue;
        private final Serde<V> values;
        private final JobHandler<V, R> handler;
        private AsyncStepSettings async = QueueProperties.Queue.DEFAULTS.asyncStep();
        private RetryPolicy retry = QueueProperties.Queue.DEFAULTS.retry().policy();
        private String outputTopic;
        private Serializer<O> outputSerializer;
        private JobOutput<V, R, O> output;
        private Function<R, String> returnValue = String::valueOf;
        private boolean completesJob = true;
        private JobMetrics metrics = JobMetrics.GLOBAL;

        private Builder(QueueTopics queue, Serde<V> values, JobHandler<V, R> handler) {
            this.queue = Objects.requireNonNull(queue);
            this.values = Objects.requireNonNull(values);
            this.handler = Objects.requireNonNull(handler);
        }

        public Builder<V, R, O> concurrency(AsyncStepSettings settings) {
            this.async = settings;
            return this;
        }

        public Builder<V, R, O> retry(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        /** Publishes each result to {@code topic}. */
        @SuppressWarnings("unchecked")
        public <P> Builder<V, R, P> output(String topic, Serializer<P> serializer, JobOutput<V, R, P> mapper) {
            Builder<V, R, P> typed = (Builder<V, R, P>) this;
            typed.outputTopic = topic;
            typed.outputSerializer = serializer;
            typed.output = mapper;
            return typed;
        }

        /** The JSON stored as the job's return value; Avro records render as JSON by default. */
        public Builder<V, R, O> returnValue(Function<R, String> json) {
            this.returnValue = json;
            return this;
        }

        /** For a step inside a longer pipeline: success is progress, not completion. */
        public Builder<V, R, O> intermediateStep() {
            this.completesJob = false;
            return this;
        }

        /** Where the worker records its job metrics; Micrometer's global registry unless a test gives its own. */
        public Builder<V, R, O> metrics(JobMetrics registry) {
            this.metrics = Objects.requireNonNull(registry);
            return this;
        }

        public QueueWorker<V, R, O> build() {
            return new QueueWorker<>(this);
        }
    }
}
