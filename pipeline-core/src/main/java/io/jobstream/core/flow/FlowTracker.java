package io.jobstream.core.flow;

import java.util.EnumSet;
import java.util.Set;

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
 *                    QUEUED again (a new run, at the progress it had) when what failed it is retried
 *   with follow-ups: each run's start and end of each follow-up job a child started (parent = the child),
 *                    re-keyed by the child's parent
 * </pre>
 *
 * Submit flows with {@link Flows#submit}.
 */
public final class FlowTracker {

    private static final Set<JobState> FOLLOW_UP_STATES = EnumSet.of(JobState.QUEUED, JobState.DELAYED, JobState.COMPLETED,
            JobState.FAILED, JobState.DEAD_LETTERED);

    private final QueueTopics queue;
    private final QueueTopics followUpQueue;
    private final FollowUps followUps;

    private FlowTracker(QueueTopics queue, QueueTopics followUpQueue, FollowUps followUps) {
        this.queue = queue;
        this.followUpQueue = followUpQueue;
        this.followUps = followUps;
    }

    public static FlowTracker forQueue(QueueTopics queue) {
        return new FlowTracker(queue, null, FollowUps.NONE);
    }

    /**
     * Children start follow-up jobs on {@code followUpQueue} (with the child as their parent) and name
     * them in their results: a child is done, and the parent's progress and completion count it, only
     * once those have completed too; one failing for good fails the flow.
     */
    public FlowTracker withFollowUps(QueueTopics followUpQueue, FollowUps namedInResult) {
        return new FlowTracker(queue, followUpQueue, namedInResult);
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
                .filter((jobId, event) -> event != null && (queue.queue().equals(event.getQueue())
                        && (event.getParentJobId() != null || isDeclaration(event)) || isFollowUp(event)), Named.as(name + "-relevant"))
                .selectKey((jobId, event) -> isFollowUp(event) ? FlowIds.parentOf(event.getParentJobId()).orElseThrow()
                        : event.getParentJobId() != null ? event.getParentJobId() : event.getJobId(), Named.as(name + "-by-parent"))
                .repartition(Repartitioned.with(Serdes.String(), events).withName(name))
                .process(() -> new FlowProcessor(store(), followUpQueue == null ? null : followUpQueue.queue(), followUps),
                        Named.as(name + "-tracker"), store())
                .to(TopicCatalog.JOB_EVENTS, Produced.with(Serdes.String(), events).withName(name + "-parent-events"));
        return builder;
    }

    /**
     * A follow-up job's start or end, whose parent has a flow child's form: keyed by that child's
     * parent. Its start is needed too, since a dead-lettered follow-up queued again reopens the flow.
     */
    private boolean isFollowUp(JobEvent event) {
        return followUpQueue != null && followUpQueue.queue().equals(event.getQueue()) && event.getParentJobId() != null
                && FOLLOW_UP_STATES.contains(event.getState())
                && FlowIds.parentOf(event.getParentJobId()).isPresent();
    }

    /** A parent's submission: QUEUED, with the number of children in its step. */
    static boolean isDeclaration(JobEvent event) {
        return event.getState() == JobState.QUEUED && event.getParentJobId() == null
                && FlowIds.totalOf(event.getStep()).isPresent();
    }
}
