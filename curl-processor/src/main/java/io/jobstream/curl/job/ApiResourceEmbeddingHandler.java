package io.jobstream.curl.job;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;

/**
 * An embeddings-generation job: one resource's text → the configured embedding model → the shared
 * {@code embeddings} table, where embedding-processor's semantic search finds it by its entity type.
 */
public final class ApiResourceEmbeddingHandler implements JobHandler<EmbeddingRequested, Map<String, Object>> {

    private static final Logger log = LoggerFactory.getLogger(ApiResourceEmbeddingHandler.class);

    private final EmbeddingProvider model;
    private final EmbeddingRepository embeddings;

    public ApiResourceEmbeddingHandler(EmbeddingProvider model, EmbeddingRepository embeddings) {
        this.model = model;
        this.embeddings = embeddings;
    }

    @Override
    public Map<String, Object> handle(Job<EmbeddingRequested> job) {
        EmbeddingRequested request = job.data();
        String text = request.getText();
        if (text == null || text.isBlank()) {
            throw new PermanentJobException("data.text is required: an api-resource embedding job carries its text");
        }
        float[] vector = model.embed(List.of(text)).getFirst();
        String hash = request.getTextHash() != null ? request.getTextHash() : TextHash.of(text);
        embeddings.upsert(List.of(new Embedding(request.getEntityType(), request.getEntityId(), model.model(), hash, vector, text)));
        log.info("api resource embedded jobId={} entityType={} entityId={} model={}", job.id(), request.getEntityType(),
                request.getEntityId(), model.model());
        return Map.of("entityType", request.getEntityType(), "entityId", request.getEntityId(), "model", model.model(),
                "dimensions", vector.length);
    }
}
