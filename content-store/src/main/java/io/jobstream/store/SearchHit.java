package io.jobstream.store;

/** An entity near the query, with its cosine similarity (1 = same direction). */
public record SearchHit(String entityType, String entityId, String model, double similarity, String content) {
}
