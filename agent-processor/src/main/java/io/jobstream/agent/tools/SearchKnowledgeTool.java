package io.jobstream.agent.tools;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.ai.chat.ChatTool;
import io.jobstream.ai.chat.LocalRetrievalChat;
import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.SearchHit;
import tools.jackson.databind.JsonNode;

/**
 * {@code search_knowledge}: semantic search over the pgvector embeddings the embedding processor
 * wrote. The query is embedded by the same model as the stored vectors, so they are comparable.
 */
public final class SearchKnowledgeTool implements ChatTool {

    static final int MAX_RESULTS = 10;
    private static final int MAX_PASSAGE_CHARS = 600;
    private static final Logger log = LoggerFactory.getLogger(SearchKnowledgeTool.class);

    private final EmbeddingProvider model;
    private final EmbeddingRepository embeddings;
    private final int defaultResults;

    public SearchKnowledgeTool(EmbeddingProvider model, EmbeddingRepository embeddings, int defaultResults) {
        this.model = model;
        this.embeddings = embeddings;
        this.defaultResults = defaultResults;
    }

    @Override
    public String name() {
        return LocalRetrievalChat.SEARCH_TOOL;
    }

    @Override
    public String description() {
        return "Semantic search over the knowledge base (scraped posts, products, documents). "
                + "Returns the most similar passages with their ids and similarity.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object",
                "properties", Map.of(
                        "query", Map.of("type", "string", "description", "what to look for, in natural language"),
                        "k", Map.of("type", "integer", "description", "how many passages (1-" + MAX_RESULTS + ")")),
                "required", List.of("query"));
    }

    @Override
    public String call(String argumentsJson) {
        JsonNode arguments;
        String query;
        try {
            arguments = ToolArguments.parse(argumentsJson);
            query = ToolArguments.requiredText(arguments, "query");
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
        int k = Math.clamp(arguments.path("k").asInt(defaultResults), 1, MAX_RESULTS);
        List<SearchHit> hits = embeddings.search(model.embed(List.of(query)).getFirst(), model.model(), null, k);
        log.debug("knowledge searched model={} k={} hits={}", model.model(), k, hits.size());
        if (hits.isEmpty()) {
            return "No passages found in the knowledge base.";
        }
        StringBuilder passages = new StringBuilder();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit hit = hits.get(i);
            String content = hit.content() == null ? "" : hit.content().strip();
            if (content.length() > MAX_PASSAGE_CHARS) {
                content = content.substring(0, MAX_PASSAGE_CHARS) + "…";
            }
            passages.append(i + 1).append(". [").append(hit.entityType()).append(':').append(hit.entityId())
                    .append(", similarity ").append(String.format(java.util.Locale.ROOT, "%.2f", hit.similarity()))
                    .append("] ").append(content).append('\n');
        }
        return passages.toString().strip();
    }
}
