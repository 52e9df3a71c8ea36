package io.jobstream.local;

import tools.jackson.databind.JsonNode;

/** What the launcher reads of the {@code database} part of {@code GET /api/content/embeddings/stats} (seed 000's shape). */
record DatabaseStats(long totalPosts, long postsWithEmbeddings, double coveragePct) {

    static DatabaseStats of(JsonNode database) {
        return new DatabaseStats(database.path("total_posts").asLong(), database.path("posts_with_embeddings").asLong(),
                database.path("coverage_pct").asDouble());
    }
}
