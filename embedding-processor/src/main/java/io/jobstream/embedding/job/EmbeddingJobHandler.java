package io.jobstream.embedding.job;

import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.jobs.EmbeddingJobTypes;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.PostRepository;

/** The embedding queue's worker: one entity, seed 000's pending-posts batch, or a backfill by replay. */
public final class EmbeddingJobHandler implements JobHandler<EmbeddingRequested, EmbeddingJobResult>, AutoCloseable {

    private final EntityBatches entityBatches;
    private final EntityEmbedding entity;
    private final PendingPostsEmbedding pending;
    private final Backfill backfill;

    public EmbeddingJobHandler(EmbeddingModels models, EmbeddingRepository embeddings, PostRepository posts,
                               RateLimiter limiter, String rateLimitBucket, EmbeddingProperties.Batch batch,
                               String bootstrapServers) {
        JobTokens tokens = new JobTokens(limiter, rateLimitBucket);
        this.entityBatches = new EntityBatches(models, embeddings, tokens, batch);
        this.entity = new EntityEmbedding(models, entityBatches, posts);
        this.pending = new PendingPostsEmbedding(models, embeddings, posts, tokens);
        this.backfill = new Backfill(models, embeddings, bootstrapServers);
    }

    @Override
    public EmbeddingJobResult handle(Job<EmbeddingRequested> job) {
        return switch (job.type()) {
            case EmbeddingJobTypes.GENERATE_PENDING -> pending.run(job);
            case EmbeddingJobTypes.BACKFILL -> backfill.run(job);
            default -> entity.run(job);
        };
    }

    /** Runs what is queued in the entity batches and waits for them; the models stay open. */
    @Override
    public void close() {
        entityBatches.close();
    }
}
