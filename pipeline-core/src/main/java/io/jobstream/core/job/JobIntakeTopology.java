package io.jobstream.core.job;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.queue.JobEnvelope;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobRequested;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * The QUEUED event of each job added alone ({@link JobPublisher#submit}), as one sub-topology:
 *
 * <pre>
 *   Q.requests (every queue given) ─► job-intake (records marked queued-by-record only)
 *                                        └─► jobs.events  (the job's QUEUED event, keyed by job id)
 * </pre>
 *
 * A single add writes its job's record and nothing else, so it needs no transaction; its QUEUED event
 * comes from here, the same event the publisher writes beside a record in a transaction (metadata from
 * the headers, the data the marker or the envelope carries, the envelope's removal options). The
 * application runs exactly-once, so each marked record yields its event once. The event may reach
 * {@code jobs.events} after the worker's ACTIVE or COMPLETED: the status fold takes any order.
 */
public final class JobIntakeTopology {

    /**
     * How often an application running the intake commits by default. Until it does, read_committed
     * readers of the {@code jobs.events} partitions it writes see no later event of any job there, so
     * it is kept well below the workers' commit interval ({@link StreamsProperties#DEFAULT_COMMIT_INTERVAL}).
     */
    public static final String COMMIT_INTERVAL = "20ms";
    public static final Duration DEFAULT_COMMIT_INTERVAL = DurationStyle.detectAndParse(COMMIT_INTERVAL);

    static final String EVENTS_SINK = "job-intake-events";
    private static final String SOURCE = "job-intake-requests";
    private static final String PROCESSOR = "job-intake";

    /** Requests topic → queue name. */
    private final Map<String, String> queues;

    public JobIntakeTopology(Collection<QueueTopics> queues) {
        this.queues = queues.stream().collect(Collectors.toUnmodifiableMap(QueueTopics::requests, QueueTopics::queue,
                (same, other) -> same));
    }

    public Topology addTo(Topology topology) {
        return topology
                .addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), queues.keySet().toArray(String[]::new))
                .addProcessor(PROCESSOR, () -> new Intake(queues::get), SOURCE)
                .addSink(EVENTS_SINK, TopicCatalog.JOB_EVENTS, new StringSerializer(),
                        AvroSerde.of(JobEvent.class).serializer(), PROCESSOR);
    }

    /** A marked record → its QUEUED event; any other record (a bulk add's, a retry's, a scheduler's) → nothing. */
    static final class Intake implements Processor<String, byte[], String, JobEvent> {

        private static final Logger log = LoggerFactory.getLogger(Intake.class);

        private final Function<String, String> queueOfTopic;
        private ProcessorContext<String, JobEvent> context;

        Intake(Function<String, String> queueOfTopic) {
            this.queueOfTopic = queueOfTopic;
        }

        @Override
        public void init(ProcessorContext<String, JobEvent> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            Header marker = record.headers().lastHeader(JobHeaders.QUEUED_BY_RECORD);
            if (marker == null) {
                return;
            }
            String queue = queueOfTopic.apply(context.recordMetadata().orElseThrow().topic());
            // The publisher leaves max-attempts out when the queue's limit applies: the event shows the default, as ever.
            JobMetadata job = JobMetadata.from(record.headers(), record.key(), queue, RetryPolicy.DEFAULT.attempts(),
                    record.timestamp());
            JobRequested envelope = envelope(record.value(), job.jobId());
            String data = marker.value() != null && marker.value().length > 0
                    ? new String(marker.value(), StandardCharsets.UTF_8)
                    : envelope == null ? null : envelope.getData();
            JobEvent event = JobEvents.queued(queue, job, data, job.enqueuedAt());
            if (envelope != null) {
                event = JobEnvelope.withRemoval(event, envelope.getOptions());
            }
            // A new record: the job's headers stay on its queue, the event carries what it needs.
            context.forward(new Record<>(job.jobId(), event, job.enqueuedAt().toEpochMilli()));
        }

        /** The record's envelope, null for a queue's own record type or one that does not decode (its worker dead-letters it). */
        private static JobRequested envelope(byte[] value, String jobId) {
            if (!JobEnvelope.isEnvelope(value)) {
                return null;
            }
            try {
                return JobEnvelope.decode(value);
            } catch (RuntimeException unreadable) {
                log.warn("job intake cannot read the job's envelope, QUEUED goes without its data jobId={} error={}",
                        jobId, unreadable.toString());
                return null;
            }
        }
    }
}
