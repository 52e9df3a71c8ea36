package io.jobstream.embedding.job;

import java.util.ArrayList;
import java.util.List;

import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.core.job.Job;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.jobs.EmbeddingJobTypes;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.PostRepository;

/**
 * Seed 000's {@code generate-embeddings} job: embed up to {@code batchSize} posts that have no
 * vector of their current text for the model, reporting progress as it goes.
 */
final class PendingPostsEmbedding {

    private static final int DEFAULT_BATCH_SIZE = 100;
    private static final int CHUNK = 32;

    private final EmbeddingModels models;
    private final EmbeddingRepository embeddings;
    private final PostRepository posts;
    private final JobTokens tokens;

    PendingPostsEmbedding(EmbeddingModels models, EmbeddingRepository embeddings, PostRepository posts, JobTokens tokens) {
        this.models = models;
        this.embeddings = embeddings;
        this.posts = posts;
        this.tokens = tokens;
    }

    EmbeddingJobResult run(Job<EmbeddingRequested> job) {
        EmbeddingBatcher model = models.get(job.data().getModel());
        String modelName = model.provider().model();
        int batchSize = Integer.parseInt(job.data().getMetadata().getOrDefault(EmbeddingJobTypes.BATCH_SIZE, Integer.toString(DEFAULT_BATCH_SIZE)));
        List<PostRepository.PostText> pending = posts.pending(modelName, batchSize);
        if (!pending.isEmpty()) {
            tokens.take();
        }
        int done = 0;
        for (int from = 0; from < pending.size(); from += CHUNK) {
            List<PostRepository.PostText> chunk = pending.subList(from, Math.min(pending.size(), from + CHUNK));
            List<float[]> vectors = model.embedAll(chunk.stream().map(PostRepository.PostText::text).toList());
            List<Embedding> rows = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                PostRepository.PostText post = chunk.get(i);
                rows.add(new Embedding("post", post.postId(), modelName, post.textHash(), vectors.get(i), post.text()));
            }
            embeddings.upsert(rows);
            done += chunk.size();
            job.progress(100 * done / pending.size(), "embedded " + done + "/" + pending.size() + " posts");
        }
        return new EmbeddingJobResult(null, "{\"processed\": %d, \"succeeded\": %d, \"failed\": 0, \"model\": \"%s\"}"
                .formatted(pending.size(), done, modelName));
    }
}
