package io.jobstream.core.flow;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.StringJoiner;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.flow.FlowState.Child;
import io.jobstream.core.flow.FlowState.Outcome;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.events.JobEvent;

/** Folds a flow's events (keyed by parent id) into its state and publishes the parent's transitions. */
final class FlowProcessor implements Processor<String, JobEvent, String, JobEvent> {

    private static final Logger log = LoggerFactory.getLogger(FlowProcessor.class);

    private final String storeName;
    private final String followUpQueue;
    private final FollowUps followUps;
    private ProcessorContext<String, JobEvent> context;
    private KeyValueStore<String, FlowState> flows;

    /** @param followUpQueue the queue of the children's follow-up jobs, null if they start none */
    FlowProcessor(String storeName, String followUpQueue, FollowUps followUps) {
        this.storeName = storeName;
        this.followUpQueue = followUpQueue;
        this.followUps = followUps;
    }

    @Override
    public void init(ProcessorContext<String, JobEvent> context) {
        this.context = context;
        this.flows = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, JobEvent> record) {
        String parentId = record.key();
        JobEvent event = record.value();
        FlowState before = flows.get(parentId);
        FlowState state = before == null ? FlowState.undeclared(parentId) : before;
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (followUpQueue != null && followUpQueue.equals(event.getQueue())) {
            OptionalInt index = FlowIds.indexOf(parentId, event.getParentJobId());
            if (index.isEmpty()) {
                return;
            }
            state = followUpEvent(state, index.getAsInt(), event);
        } else if (event.getParentJobId() == null) {
            if (state.declared()) {
                return;
            }
            state = state.declared(event.getQueue(), event.getJobType(), FlowIds.totalOf(event.getStep()).orElseThrow(),
                    event.getEnqueuedAt(), event.getData());
            log.info("flow declared parentJobId={} queue={} children={}", parentId, state.queue(), state.total());
        } else {
            OptionalInt index = FlowIds.indexOf(parentId, event.getJobId());
            if (index.isEmpty()) {
                log.warn("job names a parent but is not one of its children jobId={} parentJobId={}", event.getJobId(), parentId);
                return;
            }
            state = childEvent(state, index.getAsInt(), event, now);
        }
        if (state.reopenable(followUps)) {
            state = reopen(state, event, now);
        }
        flows.put(parentId, evaluate(state, before == null ? 0 : before.progress(followUps), now));
    }

    /**
     * A follow-up job's run: queued again (retried, or replayed from its dead letters) it no longer
     * fails its child; completed it counts towards it; failing for good fails the child.
     */
    private FlowState followUpEvent(FlowState state, int index, JobEvent event) {
        FlowState.Child child = state.child(index);
        return switch (event.getState()) {
            case COMPLETED -> state.withChild(index, child.withFollowUpDone(event.getJobId()));
            case FAILED, DEAD_LETTERED -> state.withChild(index, child.withFollowUpFailed(event.getJobId(),
                    "follow-up job " + event.getJobId() + " failed: " + event.getErrorMessage()));
            case QUEUED, DELAYED -> state.withChild(index, child.withFollowUpRequeued(event.getJobId()));
            default -> state;
        };
    }

    private FlowState childEvent(FlowState state, int index, JobEvent event, Instant now) {
        // A child's attempt that ended before its worker announced it tells its start on its outcome.
        FlowState seen = event.getStartedAt() == null ? state : childStarted(state, now);
        return switch (event.getState()) {
            case COMPLETED -> seen.withChild(index, seen.child(index).withOutcome(Outcome.COMPLETED, event.getReturnValue(), null));
            case FAILED, DEAD_LETTERED -> seen.withChild(index, new Child(Outcome.FAILED, null, event.getErrorMessage()));
            case CANCELLED -> seen.withChild(index, new Child(Outcome.CANCELLED, null, event.getErrorMessage()));
            case QUEUED, DELAYED -> {
                Outcome previous = seen.child(index).outcome();
                yield previous == Outcome.FAILED || previous == Outcome.CANCELLED ? seen.withChild(index, Child.PENDING) : seen;
            }
            case ACTIVE, PROGRESS -> childStarted(seen, now);
            case RETRY_SCHEDULED, REMOVED -> seen;
        };
    }

    /** The parent goes ACTIVE when its first child starts. */
    private FlowState childStarted(FlowState state, Instant now) {
        if (state.active() || !state.declared() || state.finished()) {
            return state;
        }
        publish(JobEvent.newBuilder(JobEvents.active(state.queue(), parent(state), now)).setProgress(state.progress(followUps)).build());
        return state.activated();
    }

    /**
     * A new run of a failed flow, started by the retry of what failed it (a child or a follow-up job).
     * It starts at the progress the flow had: what is done stays done, so progress never goes back.
     */
    private FlowState reopen(FlowState state, JobEvent retried, Instant now) {
        FlowState reopened = state.reopened(now);
        publish(JobEvent.newBuilder(JobEvents.queued(reopened.queue(), parent(reopened), reopened.data(), reopened.enqueuedAt()))
                .setStep(FlowIds.step(reopened.done(followUps), reopened.total()))
                .setProgress(reopened.progress(followUps))
                .build());
        log.info("flow reopened by a retried job parentJobId={} retriedJobId={} queue={}", state.parentId(), retried.getJobId(),
                retried.getQueue());
        return reopened;
    }

    private FlowState evaluate(FlowState state, int progressBefore, Instant now) {
        if (!state.declared() || state.finished()) {
            return state;
        }
        JobMetadata parent = parent(state);
        for (int i = 0; i < state.total(); i++) {
            Child child = state.child(i);
            String childId = FlowIds.child(state.parentId(), i);
            if (child.failed()) {
                String reason = "child job " + childId + " (" + (i + 1) + " of " + state.total() + ") failed: " + child.error();
                publish(JobEvents.failed(state.queue(), parent, new ChildJobFailedException(reason), now));
                log.warn("flow failed parentJobId={} childJobId={} error={}", state.parentId(), childId, child.error());
                return state.finish();
            }
            if (child.outcome() == Outcome.CANCELLED) {
                publish(JobEvents.cancelled(state.queue(), parent, "child job " + childId + " was cancelled", now));
                log.info("flow cancelled parentJobId={} childJobId={}", state.parentId(), childId);
                return state.finish();
            }
        }
        int done = state.done(followUps);
        if (done == state.total()) {
            publish(JobEvents.completed(state.queue(), parent, results(state), now));
            log.info("flow completed parentJobId={} children={}", state.parentId(), state.total());
            return state.finish();
        }
        int progress = state.progress(followUps);
        if (progress != progressBefore) {
            publish(JobEvents.progress(state.queue(), parent, progress, FlowIds.step(done, state.total()), now));
        }
        return state;
    }

    /** The children's results in order: {@code {"results": [...], "count": n}}; each result is the child's own JSON. */
    private static String results(FlowState state) {
        StringJoiner results = new StringJoiner(",", "{\"results\":[", "],\"count\":" + state.total() + "}");
        for (int i = 0; i < state.total(); i++) {
            String value = state.child(i).returnValue();
            results.add(value == null || value.isBlank() ? "null" : value);
        }
        return results.toString();
    }

    private static JobMetadata parent(FlowState state) {
        return new JobMetadata(state.parentId(), state.jobType(), 1, 1, state.enqueuedAt(), null, null, null);
    }

    private void publish(JobEvent event) {
        context.forward(new Record<>(event.getJobId(), event, event.getTimestamp().toEpochMilli()));
    }
}
