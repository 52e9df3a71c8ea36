package io.jobstream.embedding.job;

import java.time.Instant;
import java.util.List;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.Job;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.store.PostRepository;

/**
 * One entity's embedding (a post, a product, a taste profile, anything with text): skipped when a
 * vector of the same text already exists for the model, else embedded and upserted, in a
 * micro-batch with other jobs' entities ({@link EntityBatches}).
 */
final class EntityEmbedding {

    private final EmbeddingModels models;
    private final EntityBatches batches;
    private final PostRepository posts;

    EntityEmbedding(EmbeddingModels models, EntityBatches batches, PostRepository posts) {
        this.models = models;
        this.batches = batches;
        this.posts = posts;
    }

    EmbeddingJobResult run(Job<EmbeddingRequested> job) {
        EmbeddingRequested request = job.data();
        String modelName = models.get(request.getModel()).provider().model();
        String text = request.getText() != null ? request.getText() : storedText(request);
        if (text.isBlank()) {
            // Checked here, not by the provider, so that it fails this job and not the others of its batch.
            throw new PermanentJobException("text of " + request.getEntityType() + " " + request.getEntityId()
                    + " is blank: there is nothing to embed");
        }
        String hash = request.getTextHash() != null ? request.getTextHash() : TextHash.of(text);
        EntityBatches.Outcome outcome = batches.store(modelName,
                new EntityBatches.EntityText(request.getEntityType(), request.getEntityId(), text, hash));
        return switch (outcome) {
            case EntityBatches.Outcome.Deferred deferred -> throw deferred.reason();
            case EntityBatches.Outcome.Stored stored -> result(job, request, modelName, stored.dimensions(), hash, stored.skipped());
        };
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
