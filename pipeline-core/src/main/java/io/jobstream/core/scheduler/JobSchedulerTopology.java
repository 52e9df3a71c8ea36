package io.jobstream.core.scheduler;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobRequested;
import io.jobstream.events.Schedule;
import io.jobstream.topics.TopicCatalog;

/**
 * Job schedulers (BullMQ's {@code upsertJobScheduler}) as one sub-topology:
 *
 * <pre>
 *   jobs.schedules ─► job-schedulers (store: definition, next run, last run, count; wall-clock punctuator)
 *                        ├─► Q.requests / Q.requests.retry  (each due tick's job, any declared queue)
 *                        └─► jobs.events                    (its QUEUED or DELAYED event)
 * </pre>
 *
 * The store is changelogged and the application runs exactly-once, so a tick's job, event and the
 * scheduler's new state commit together.
 */
public final class JobSchedulerTopology {

    /** Scheduler id → {@link JobScheduler}, partitioned like {@code jobs.schedules}. */
    public static final String STORE = "job-schedulers";
    /** How often due ticks are looked for: the scheduler's precision. */
    public static final Duration TICK = Duration.ofMillis(100);

    static final String JOBS_SINK = "job-schedulers-jobs";
    static final String EVENTS_SINK = "job-schedulers-events";
    private static final String SOURCE = "job-schedules";
    private static final String PROCESSOR = "job-schedulers-fire";

    private final QueueProperties queues;

    public JobSchedulerTopology(QueueProperties queues) {
        this.queues = queues;
    }

    public Topology addTo(Topology topology) {
        Serializer<JobRequested> envelopes = AvroSerde.of(JobRequested.class).serializer();
        Serializer<ScheduledJob> jobs = (topic, job) -> envelopes.serialize(topic, job.envelope());
        return topology
                .addSource(SOURCE, new StringDeserializer(), AvroSerde.of(Schedule.class).deserializer(),
                        TopicCatalog.JOB_SCHEDULES)
                .addProcessor(PROCESSOR, () -> new JobSchedulerProcessor(queues, TICK), SOURCE)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                        Serdes.String(), JobSchedulerSerde.create()), PROCESSOR)
                .addSink(JOBS_SINK, (TopicNameExtractor<String, ScheduledJob>) (key, job, record) -> job.topic(),
                        new StringSerializer(), jobs, PROCESSOR)
                .addSink(EVENTS_SINK, TopicCatalog.JOB_EVENTS, new StringSerializer(),
                        AvroSerde.of(JobEvent.class).serializer(), PROCESSOR);
    }
}
