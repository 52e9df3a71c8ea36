package io.jobstream.embedding.search;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.SearchHit;

/** Semantic search: the query is embedded by the same model as the vectors it is compared with. */
@RestController
public class SearchController {

    private static final int MAX_QUERY = 2_000;
    private static final int MAX_K = 100;

    private final EmbeddingModels models;
    private final EmbeddingRepository embeddings;

    public SearchController(EmbeddingModels models, EmbeddingRepository embeddings) {
        this.models = models;
        this.embeddings = embeddings;
    }

    @GetMapping("/api/content/search")
    public ResponseEntity<Map<String, Object>> search(@RequestParam(required = false) String q,
                                                      @RequestParam(required = false) String k,
                                                      @RequestParam(required = false) String entityType,
                                                      @RequestParam(required = false) String model) {
        if (q == null || q.isBlank()) {
            return invalid("q", "is required");
        }
        if (q.length() > MAX_QUERY) {
            return invalid("q", "must be at most " + MAX_QUERY + " characters");
        }
        int limit;
        try {
            limit = k == null ? 10 : Integer.parseInt(k);
        } catch (NumberFormatException e) {
            return invalid("k", "must be a whole number");
        }
        if (limit < 1 || limit > MAX_K) {
            return invalid("k", "must be between 1 and " + MAX_K);
        }
        if (model != null && !model.isBlank() && !models.models().contains(model)) {
            return invalid("model", "is not served here; available: " + models.models());
        }
        EmbeddingBatcher batcher = models.get(model);
        List<SearchHit> hits = embeddings.search(batcher.embed(q), batcher.provider().model(),
                entityType == null || entityType.isBlank() ? null : entityType, limit);
        return ResponseEntity.ok(Map.of(
                "success", true,
                "query", q,
                "model", batcher.provider().model(),
                "count", hits.size(),
                "results", hits.stream().map(hit -> Map.of(
                        "entityType", hit.entityType(),
                        "entityId", hit.entityId(),
                        "similarity", hit.similarity(),
                        "text", hit.content() == null ? "" : hit.content())).toList()));
    }

    private static ResponseEntity<Map<String, Object>> invalid(String field, String reason) {
        return ResponseEntity.badRequest().body(Map.of(
                "success", false,
                "message", field + " " + reason,
                "error", Map.of("field", field, "reason", reason)));
    }
}
