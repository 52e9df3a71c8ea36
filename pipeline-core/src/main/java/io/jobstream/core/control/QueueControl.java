package io.jobstream.core.control;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.events.ControlAction;
import io.jobstream.events.ControlCommand;
import io.jobstream.topics.TopicCatalog;

/**
 * Cluster-wide pause, resume, cancel and promote. Commands go to the compacted {@code jobs.control}
 * topic, keyed by what they act on ({@code queue:Q} keeps the latest pause or resume of a queue,
 * {@code job:ID} the cancellation of a job, {@code promote:ID} the promotion of a delayed job), and
 * every instance keeps the whole topic in a global
 * store: whichever instance holds a job sees the command, with no routing.
 */
public final class QueueControl {

    public static final String STORE = "queue-control";

    private static final String PROMOTE_PREFIX = "promote:";

    private static final Serde<ControlCommand> COMMANDS = AvroSerde.of(ControlCommand.class);

    private final ReadOnlyKeyValueStore<String, ControlCommand> commands;

    public QueueControl(ReadOnlyKeyValueStore<String, ControlCommand> commands) {
        this.commands = commands;
    }

    /** Adds the global store, once per topology however many workers it has. */
    public static Topology addTo(Topology topology) {
        boolean present = topology.describe().globalStores().stream()
                .anyMatch(store -> store.source().topicSet().contains(TopicCatalog.JOB_CONTROL));
        if (!present) {
            // The store's serdes are the topic's: a restore may copy records into it as they are.
            topology.addGlobalStore(
                    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), COMMANDS)
                            .withLoggingDisabled(),
                    "queue-control-commands", new StringDeserializer(), COMMANDS.deserializer(),
                    TopicCatalog.JOB_CONTROL, "queue-control-update", StoreUpdate::new);
        }
        return topology;
    }

    public boolean isPaused(String queue) {
        ControlCommand latest = commands.get(queueKey(queue));
        return latest != null && latest.getAction() == ControlAction.PAUSE;
    }

    /** The cancellation of this run of the job: a cancel issued after the run was submitted. */
    public Optional<ControlCommand> cancellation(JobMetadata job) {
        ControlCommand cancel = commands.get(jobKey(job.jobId()));
        return cancel != null && cancel.getAction() == ControlAction.CANCEL && !cancel.getIssuedAt().isBefore(job.enqueuedAt())
                ? Optional.of(cancel)
                : Optional.empty();
    }

    /**
     * The promotions of {@code queue}'s delayed jobs, each with the due time that finds the job in its
     * timer. A prefix scan of an in-memory map: nearly free when there are none.
     */
    public void forEachPromotion(String queue, Consumer<ControlCommand> action) {
        try (KeyValueIterator<String, ControlCommand> promotions = commands.prefixScan(PROMOTE_PREFIX, new StringSerializer())) {
            while (promotions.hasNext()) {
                ControlCommand command = promotions.next().value;
                if (command != null && command.getAction() == ControlAction.PROMOTE && queue.equals(command.getQueue())
                        && command.getJobId() != null && command.getDueAt() != null) {
                    action.accept(command);
                }
            }
        }
    }

    public static KeyValue<String, ControlCommand> pause(String queue, Instant at) {
        return KeyValue.pair(queueKey(queue), command(ControlAction.PAUSE, queue, null, null, at));
    }

    public static KeyValue<String, ControlCommand> resume(String queue, Instant at) {
        return KeyValue.pair(queueKey(queue), command(ControlAction.RESUME, queue, null, null, at));
    }

    public static KeyValue<String, ControlCommand> cancel(String queue, String jobId, String reason, Instant at) {
        return KeyValue.pair(jobKey(jobId), command(ControlAction.CANCEL, queue, jobId, reason, at));
    }

    /** BullMQ's {@code job.promote()}: the delayed job that was due at {@code dueAt} runs now. */
    public static KeyValue<String, ControlCommand> promote(String queue, String jobId, Instant dueAt, Instant at) {
        ControlCommand command = command(ControlAction.PROMOTE, queue, jobId, null, at);
        command.setDueAt(dueAt);
        return KeyValue.pair(promoteKey(jobId), command);
    }

    static String queueKey(String queue) {
        return "queue:" + queue;
    }

    /** The key of a job's cancel command; a tombstone of it forgets the command once it has taken effect. */
    public static String jobKey(String jobId) {
        return "job:" + jobId;
    }

    /** The key of a job's promotion; a tombstone of it forgets the promotion once it is spent. */
    public static String promoteKey(String jobId) {
        return PROMOTE_PREFIX + jobId;
    }

    private static ControlCommand command(ControlAction action, String queue, String jobId, String reason, Instant at) {
        return ControlCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setAction(action)
                .setQueue(queue)
                .setJobId(jobId)
                .setIssuedAt(at)
                .setReason(reason)
                .build();
    }

    /** Keeps the latest command per key; a tombstone forgets it. */
    private static final class StoreUpdate implements Processor<String, ControlCommand, Void, Void> {

        private KeyValueStore<String, ControlCommand> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, ControlCommand> record) {
            if (record.key() != null) {
                store.put(record.key(), record.value());
            }
        }
    }
}
