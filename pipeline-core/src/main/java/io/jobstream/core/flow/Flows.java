package io.jobstream.core.flow;

import java.time.Instant;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;

import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/** Adds a flow (BullMQ's {@code FlowProducer.add}): the parent and all its children, in one transaction. */
public final class Flows {

    private Flows() {
    }

    /**
     * @param children the children in order; child {@code i} must have the id {@link FlowIds#child(String, int)}
     *                 so its events name its position
     * @param dataJson the parent's input as the status API shows it
     */
    public static <V extends SpecificRecord> SubmittedJob submit(JobPublisher publisher, QueueTopics queue, String parentId,
                                                                 String parentType, String dataJson,
                                                                 List<JobSubmission<V>> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException("a flow needs at least one child");
        }
        for (int i = 0; i < children.size(); i++) {
            if (!FlowIds.child(parentId, i).equals(children.get(i).jobId())) {
                throw new IllegalArgumentException("child " + i + " of flow " + parentId + " must have id "
                        + FlowIds.child(parentId, i) + ", got " + children.get(i).jobId());
            }
        }
        Instant now = Instant.now();
        JobMetadata parent = new JobMetadata(parentId, parentType, 1, 1, now, null, null, null);
        JobEvent declaration = JobEvent.newBuilder(JobEvents.queued(queue.queue(), parent, dataJson, now))
                .setStep(FlowIds.step(0, children.size()))
                .build();
        publisher.inTransaction(batch -> {
            batch.publish(TopicCatalog.JOB_EVENTS, parentId, declaration);
            children.forEach(child -> batch.submit(queue, child.withParent(parentId)));
        });
        return new SubmittedJob(parentId, queue.queue(), JobState.QUEUED, now, null);
    }
}
