package io.jobstream.embedding.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.core.retry.PermanentJobException;

/**
 * The models this processor serves, each behind its own micro-batcher, and the default one.
 * A job or a search may name any of them: two models live side by side in pgvector.
 */
public final class EmbeddingModels implements AutoCloseable {

    private final Map<String, EmbeddingBatcher> byModel = new LinkedHashMap<>();
    private final String defaultModel;

    public EmbeddingModels(EmbeddingBatcher defaultModel, List<EmbeddingBatcher> others) {
        this.defaultModel = defaultModel.provider().model();
        byModel.put(this.defaultModel, defaultModel);
        others.forEach(batcher -> byModel.putIfAbsent(batcher.provider().model(), batcher));
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Set<String> models() {
        return byModel.keySet();
    }

    /** The named model, or the default for null; an unknown model is the caller's mistake. */
    public EmbeddingBatcher get(String model) {
        EmbeddingBatcher batcher = byModel.get(model == null || model.isBlank() ? defaultModel : model);
        if (batcher == null) {
            throw new PermanentJobException("model " + model + " is not served here; available: " + byModel.keySet());
        }
        return batcher;
    }

    @Override
    public void close() throws Exception {
        for (EmbeddingBatcher batcher : byModel.values()) {
            batcher.close();
            batcher.provider().close();
        }
    }
}
