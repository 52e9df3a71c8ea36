package io.jobstream.core.flow;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * BullMQ's flows for one queue: a parent job whose children are jobs on the queue. The parent has
 * no work of its own; its lifecycle follows its children's events:
 *
 * <pre>
 *   jobs.events ─► parent declarations and child events of this queue
 *               ─► re-keyed by parent id (repartition) ─► flow store ─► parent's events ─► jobs.events
 *                    ACTIVE when a child starts, PROGRESS children done / total,
 *                    COMPLETED with every child's result in order,
 *                    FAILED naming the child when one fails for good, CANCELLED when one is cancelled,
 *                    QUEUED again (a new run) when a failed child is retried
 * </pre>
 *
 * Submit flows with {@link Flows#submit}.
 */
public final class FlowTracker {

    private final QueueTopics queue;

    private FlowTracker(QueueTopics queue) {
        this.queue = queue;
    }

    public static FlowTracker forQueue(QueueTopics queue) {
        return new FlowTracker(queue);
    }

    public String store() {
        return queue.queue() + "-flows";
    }

    public StreamsBuilder addTo(StreamsBuilder builder) {
        String name = queue.queue() + "-flows";
        Serde<JobEvent> events = AvroSerde.of(JobEvent.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store()), Serdes.String(),
                FlowStateSerde.create()));
        builder.stream(TopicCatalog.JOB_EVENTS, Consumed.with(Serdes.String(), events).withName(name + "-events"))
                .filter((jobId, event) -> event != null && queue.queue().equals(event.getQueue())
                        && (event.getParentJobId() != null || isDeclaration(event)), Named.as(name + "-relevant"))
                .selectKey((jobId, event) -> event.getParentJobId() != null ? event.getParentJobId() : event.getJobId(),
                        Named.as(name + "-by-parent"))
                .repartition(Repartitioned.with(Serdes.String(), events).withName(name))
                .process(() -> new FlowProcessor(store()), Named.as(name + "-tracker"), store())
                .to(TopicCatalog.JOB_EVENTS, Produced.with(Serdes.String(), events).withName(name + "-parent-events"));
        return builder;
    }

    /** A parent's submission: QUEUED, with the number of children in its step. */
    static boolean isDeclaration(JobEvent event) {
        return event.getState() == JobState.QUEUED && event.getParentJobId() == null
                && FlowIds.totalOf(event.getStep()).isPresent();
    }
}
