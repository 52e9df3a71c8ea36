package io.jobstream.embedding.content;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.jobs.PostEmbeddingJob;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/**
 * Derives each post's embedding job from content.posts, whoever published the post (the webhook or
 * an external producer): a new post, or one whose text hash differs from the last job derived for
 * it, gets its job on the embedding queue and the job's QUEUED event, both in the task's
 * transaction with the store update. A replay of the topic finds every hash current and derives
 * nothing; a job derived while the post's previous job is unfinished is dropped by the worker's dedupe.
 */
public final class PostEmbeddingJobs implements Processor<String, ContentIngested, String, SpecificRecord> {

    /** Post id → text hash of the last job derived for it (changelogged). */
    public static final String STORE = "post-embedding-text-hashes";
    /** The child node that writes the job to the embedding queue. */
    public static final String JOBS = "post-embedding-jobs";
    /** The child node that writes the QUEUED event to jobs.events. */
    public static final String EVENTS = "post-embedding-events";
    static final String TRIGGERED_BY = TopicCatalog.CONTENT_POSTS;

    private static final Logger log = LoggerFactory.getLogger(PostEmbeddingJobs.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The schema default, as the webhook submitted post jobs. */
    private static final int PRIORITY = 2;

    private final int maxAttempts;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, String> derived;

    /** @param maxAttempts the embedding queue's attempt limit, shown on the QUEUED event */
    public PostEmbeddingJobs(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.derived = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, ContentIngested> record) {
        ContentIngested post = record.value();
        if (post == null) {
            // A deleted post: if it comes back, it is new again.
            derived.delete(record.key());
            return;
        }
        String hash = post.getTextHash();
        if (!TextHash.of(post.getText()).equals(hash)) {
            // Thrown, so the processing handler dead-letters the post with this reason and goes on.
            throw new IllegalArgumentException("textHash of post " + post.getPostId()
                    + " is not the SHA-256 (lower-case hex) of its UTF-8 text");
        }
        String previous = derived.get(post.getPostId());
        if (hash.equals(previous)) {
            log.debug("post unchanged, no embedding job derived jobId={} textHash={}", PostEmbeddingJob.jobId(post.getPostId()), hash);
            return;
        }
        derived.put(post.getPostId(), hash);
        emit(post, previous, Instant.ofEpochMilli(context.currentSystemTimeMs()));
    }

    /** The job as the webhook submitted it before: same id, key, type, priority and payload. */
    private void emit(ContentIngested post, String previousHash, Instant now) {
        String jobId = PostEmbeddingJob.jobId(post.getPostId());
        EmbeddingRequested request = EmbeddingRequested.newBuilder()
                .setJobId(jobId)
                .setEntityType(PostEmbeddingJob.ENTITY_TYPE)
                .setEntityId(post.getPostId())
                .setText(post.getText())
                .setTextHash(post.getTextHash())
                .setPreviousTextHash(previousHash)
                .setPriority(PRIORITY)
                .setTriggeredBy(TRIGGERED_BY)
                .build();
        JobMetadata job = new JobMetadata(jobId, PostEmbeddingJob.JOB_TYPE, 1, maxAttempts, now, null, null, PRIORITY);
        RecordHeaders headers = new RecordHeaders();
        job.writeTo(headers);
        long at = now.toEpochMilli();
        context.forward(new Record<String, SpecificRecord>(PostEmbeddingJob.key(post.getPostId()), request, at, headers), JOBS);
        context.forward(new Record<String, SpecificRecord>(jobId,
                JobEvents.queued(TopicCatalog.EMBEDDING.queue(), job, JSON.writeValueAsString(JobData.of(request)), now), at), EVENTS);
        log.info("post embedding job derived jobId={} textHash={} previousTextHash={}", jobId, post.getTextHash(), previousHash);
    }

    /** The job's data as the status API shows it: the hash identifies the text, which stays out of the status store. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record JobData(String entityType, String entityId, String textHash, String previousTextHash, int priority,
                   String triggeredBy) {

        static JobData of(EmbeddingRequested request) {
            return new JobData(request.getEntityType(), request.getEntityId(), request.getTextHash(),
                    request.getPreviousTextHash(), request.getPriority(), request.getTriggeredBy());
        }
    }
}
