package io.jobstream.embedding.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.batch.MicroBatcher;
import io.jobstream.core.retry.JobDeferredException;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;

/**
 * Entity jobs of one model, a micro-batch at a time: one hash lookup, one model call and one upsert
 * per batch, instead of two SQL round trips and a model call per job. Each job still gets its own
 * outcome: skipped (a vector of this text is current), stored, or deferred for a rate-limit token.
 */
final class EntityBatches implements AutoCloseable {

    /** One job's entity and the text to embed for it. */
    record EntityText(String entityType, String entityId, String text, String hash) {
    }

    /** What the batch did for one job. */
    sealed interface Outcome {
        record Stored(int dimensions, boolean skipped) implements Outcome {
        }

        record Deferred(JobDeferredException reason) implements Outcome {
        }
    }

    private final EmbeddingRepository embeddings;
    private final JobTokens tokens;
    private final Map<String, MicroBatcher<EntityText, Outcome>> byModel = new HashMap<>();

    EntityBatches(EmbeddingModels models, EmbeddingRepository embeddings, JobTokens tokens, EmbeddingProperties.Batch settings) {
        this.embeddings = embeddings;
        this.tokens = tokens;
        for (String model : models.models()) {
            EmbeddingProvider provider = models.get(model).provider();
            byModel.put(model, new MicroBatcher<>("entities-" + model, batch -> handle(provider, batch), settings.size(),
                    settings.linger(), settings.maxPending()));
        }
    }

    /** Embeds and stores {@code entity} with {@code model} (a served model's id) together with other jobs' entities. */
    Outcome store(String model, EntityText entity) {
        return byModel.get(model).call(entity);
    }

    private List<Outcome> handle(EmbeddingProvider provider, List<EntityText> batch) {
        String model = provider.model();
        Map<String, Map<String, String>> storedHashes = new HashMap<>();
        Outcome[] outcomes = new Outcome[batch.size()];
        List<Integer> stale = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            EntityText entity = batch.get(i);
            String stored = storedHashes.computeIfAbsent(entity.entityType(), type -> embeddings.storedHashes(type,
                    batch.stream().filter(e -> e.entityType().equals(type)).map(EntityText::entityId).toList(), model))
                    .get(entity.entityId());
            if (entity.hash().equals(stored)) {
                outcomes[i] = new Outcome.Stored(provider.dimensions(), true);
                continue;
            }
            try {
                tokens.take();
                stale.add(i);
            } catch (JobDeferredException noToken) {
                outcomes[i] = new Outcome.Deferred(noToken);
            }
        }
        if (!stale.isEmpty()) {
            List<float[]> vectors = provider.embed(stale.stream().map(i -> batch.get(i).text()).toList());
            List<Embedding> rows = new ArrayList<>(stale.size());
            for (int j = 0; j < stale.size(); j++) {
                EntityText entity = batch.get(stale.get(j));
                rows.add(new Embedding(entity.entityType(), entity.entityId(), model, entity.hash(), vectors.get(j), entity.text()));
                outcomes[stale.get(j)] = new Outcome.Stored(vectors.get(j).length, false);
            }
            embeddings.upsert(rows);
        }
        return List.of(outcomes);
    }

    @Override
    public void close() {
        byModel.values().forEach(MicroBatcher::close);
    }
}
