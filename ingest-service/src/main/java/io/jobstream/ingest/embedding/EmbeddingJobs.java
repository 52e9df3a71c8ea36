package io.jobstream.ingest.embedding;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.jobs.EmbeddingJobTypes;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/** Adds embedding jobs to the embedding queue, returning the existing job for an unfinished id. */
@Service
public class EmbeddingJobs {

    /** Seed 000's batch job: the processor embeds up to batchSize posts that have no embedding yet. */
    static final String PENDING_POSTS = "*pending*";
    static final String ALL_POSTS = "*all*";

    private static final Logger log = LoggerFactory.getLogger(EmbeddingJobs.class);

    private final JobPublisher publisher;
    private final UnfinishedJobs unfinished;
    private final JsonMapper json;

    public EmbeddingJobs(JobPublisher publisher, UnfinishedJobs unfinished, JsonMapper json) {
        this.publisher = publisher;
        this.unfinished = unfinished;
        this.json = json;
    }

    /** What adding one job came to: a new job, or the unfinished one already under that id. */
    public sealed interface Outcome {
        record Submitted(SubmittedJob job) implements Outcome {
        }

        record Existing(JobSnapshot job) implements Outcome {
        }
    }

    public Outcome submit(EmbeddingJob job) {
        Optional<JobSnapshot> existing = unfinished.find(job.jobId());
        if (existing.isPresent()) {
            log.info("embedding job already unfinished, not resubmitted jobId={} state={}", job.jobId(), existing.get().state());
            return new Outcome.Existing(existing.get());
        }
        SubmittedJob submitted = publisher.submit(TopicCatalog.EMBEDDING, submission(job));
        log.info("embedding job submitted jobId={} entity={} priority={} state={} triggeredBy={}",
                submitted.jobId(), job.key(), job.priority(), submitted.state(), job.triggeredBy());
        return new Outcome.Submitted(submitted);
    }

    /**
     * One job per post, all in one transaction; posts whose job is unfinished keep it.
     *
     * @return the job id of every post, in order
     */
    public List<String> submitPosts(List<String> postIds, String triggeredBy) {
        List<String> jobIds = new ArrayList<>(postIds.size());
        List<JobSubmission<EmbeddingRequested>> fresh = new ArrayList<>();
        for (String postId : postIds) {
            EmbeddingJob job = EmbeddingJob.forPost(postId, null, null, triggeredBy);
            jobIds.add(job.jobId());
            if (unfinished.find(job.jobId()).isEmpty()) {
                fresh.add(submission(job));
            }
        }
        if (!fresh.isEmpty()) {
            publisher.submitAll(TopicCatalog.EMBEDDING, fresh);
        }
        log.info("post embedding jobs submitted posts={} new={} alreadyUnfinished={} firstJobId={}",
                jobIds.size(), fresh.size(), jobIds.size() - fresh.size(), jobIds.getFirst());
        return jobIds;
    }

    /** Seed 000's {@code embedding-batch-{epochMillis}} job over posts still without an embedding. */
    public SubmittedJob submitPendingBatch(int batchSize, String triggeredBy) {
        return submitPendingBatch("embedding-batch-" + Instant.now().toEpochMilli(), batchSize, triggeredBy);
    }

    /** With a caller-chosen id: instances that fire the same schedule slot add one job, not several. */
    public SubmittedJob submitPendingBatch(String jobId, int batchSize, String triggeredBy) {
        EmbeddingJob job = new EmbeddingJob(jobId, EmbeddingJobTypes.GENERATE_PENDING, jobId, EmbeddingJob.POST, PENDING_POSTS,
                null, null, null, null, EmbeddingJob.DEFAULT_PRIORITY, Duration.ZERO, triggeredBy, null, null,
                Map.of(EmbeddingJobTypes.BATCH_SIZE, Integer.toString(batchSize)));
        SubmittedJob submitted = publisher.submit(TopicCatalog.EMBEDDING, submission(job));
        log.info("pending-posts embedding batch submitted jobId={} batchSize={}", jobId, batchSize);
        return submitted;
    }

    /** Re-embeds, by replaying content.posts, every post whose vector for {@code model} is missing or stale. */
    public SubmittedJob submitBackfill(String model, String triggeredBy) {
        String jobId = "embedding-backfill-" + Instant.now().toEpochMilli();
        EmbeddingJob job = new EmbeddingJob(jobId, EmbeddingJobTypes.BACKFILL, jobId, EmbeddingJob.POST, ALL_POSTS,
                null, null, null, model, EmbeddingJob.DEFAULT_PRIORITY, Duration.ZERO, triggeredBy, null, null, Map.of());
        SubmittedJob submitted = publisher.submit(TopicCatalog.EMBEDDING, submission(job));
        log.info("embedding backfill submitted jobId={} model={}", jobId, model);
        return submitted;
    }

    /** The job as the queue takes it. */
    public JobSubmission<EmbeddingRequested> submission(EmbeddingJob job) {
        EmbeddingRequested payload = EmbeddingRequested.newBuilder()
                .setJobId(job.jobId())
                .setEntityType(job.entityType())
                .setEntityId(job.entityId())
                .setText(job.text())
                .setTextHash(job.textHash())
                .setPreviousTextHash(job.previousTextHash())
                .setModel(job.model())
                .setPriority(job.priority())
                .setTriggeredBy(job.triggeredBy())
                .setUserId(job.userId())
                .setRecipientId(job.recipientId())
                .setMetadata(job.metadata())
                .build();
        return JobSubmission.of(job.jobId(), job.jobType(), payload)
                .withKey(job.key())
                .withPriority(job.priority())
                .withDelay(job.delay())
                .withData(json.writeValueAsString(EmbeddingJobData.of(job)));
    }
}
