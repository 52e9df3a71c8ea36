package io.jobstream.embedding.job;

import java.time.Instant;
import java.util.List;

import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.Job;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.PostRepository;

/**
 * One entity's embedding (a post, a product, a taste profile, anything with text): skipped when a
 * vector of the same text already exists for the model, else embedded and upserted.
 */
final class EntityEmbedding {

    private final EmbeddingModels models;
    private final EmbeddingRepository embeddings;
    private final PostRepository posts;
    private final JobTokens tokens;

    EntityEmbedding(EmbeddingModels models, EmbeddingRepository embeddings, PostRepository posts, JobTokens tokens) {
        this.models = models;
        this.embeddings = embeddings;
        this.posts = posts;
        this.tokens = tokens;
    }

    EmbeddingJobResult run(Job<EmbeddingRequested> job) {
        EmbeddingRequested request = job.data();
        EmbeddingBatcher model = models.get(request.getModel());
        String modelName = model.provider().model();
        String text = request.getText() != null ? request.getText() : storedText(request);
        String hash = request.getTextHash() != null ? request.getTextHash() : TextHash.of(text);
        String stored = embeddings.storedHashes(request.getEntityType(), List.of(request.getEntityId()), modelName)
                .get(request.getEntityId());
        if (hash.equals(stored)) {
            return result(job, request, modelName, model.provider().dimensions(), hash, true);
        }
        tokens.take();
        float[] vector = model.embed(text);
        embeddings.upsert(List.of(new Embedding(request.getEntityType(), request.getEntityId(), modelName, hash, vector, text)));
        return result(job, request, modelName, vector.length, hash, false);
    }

    private String storedText(EmbeddingRequested request) {
        if (!"post".equals(request.getEntityType())) {
            throw new PermanentJobException("text is required for entity type " + request.getEntityType());
        }
        PostRepository.PostText post = posts.texts(List.of(request.getEntityId())).get(request.getEntityId());
        if (post == null) {
            throw new PermanentJobException("post " + request.getEntityId() + " is unknown");
        }
        return post.text();
    }

    private static EmbeddingJobResult result(Job<EmbeddingRequested> job, EmbeddingRequested request, String model,
                                             int dimensions, String hash, boolean skipped) {
        EmbeddingStored stored = EmbeddingStored.newBuilder()
                .setJobId(job.id())
                .setEntityType(request.getEntityType())
                .setEntityId(request.getEntityId())
                .setModel(model)
                .setDimensions(dimensions)
                .setTextHash(hash)
                .setSkipped(skipped)
                .setStoredAt(Instant.now())
                .build();
        return new EmbeddingJobResult(stored, stored.toString());
    }
}
