package io.jobstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.test.PostgresExtension;

/** Posts and embeddings in a real PostgreSQL with pgvector. */
class ContentStoreIT {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    static PostRepository posts;
    static EmbeddingRepository embeddings;

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(postgres.dataSource()).load().migrate();
        posts = new PostRepository(postgres.dataSource());
        embeddings = new EmbeddingRepository(postgres.dataSource());
        posts.upsert(List.of(post("p1", "cats purr", "h1"), post("p2", "dogs bark", "h2"), post("p3", "fish swim", "h3")));
    }

    @Test
    void upsertsAreIdempotentAndTwoModelsLiveSideBySide() {
        embeddings.upsert(List.of(vector("product", "x1", "model-a", "ha", 1, 0, 0)));
        embeddings.upsert(List.of(vector("product", "x1", "model-a", "ha", 1, 0, 0)));
        embeddings.upsert(List.of(new Embedding("product", "x1", "model-b", "ha", new float[] {0.5f, 0.5f, 0.5f, 0.5f}, "x1")));

        assertThat(embeddings.storedHashes("product", List.of("x1", "missing"), "model-a")).containsExactly(Map.entry("x1", "ha"));
        assertThat(embeddings.storedHashes("product", List.of("x1"), "model-b")).containsEntry("x1", "ha");
        long rows = new JdbcTemplate(postgres.dataSource())
                .queryForObject("SELECT count(*) FROM embeddings WHERE entity_id = 'x1'", Long.class);
        assertThat(rows).isEqualTo(2);
    }

    @Test
    void searchReturnsTheNearestEntitiesOfOneModelByCosineSimilarityUsingItsIndex() {
        embeddings.upsert(List.of(
                vector("doc", "north", "model-s", "h", 0, 1, 0),
                vector("doc", "north-east", "model-s", "h", 1, 1, 0),
                vector("doc", "east", "model-s", "h", 1, 0, 0),
                vector("note", "north-note", "model-s", "h", 0, 1, 0.1f)));

        List<SearchHit> hits = embeddings.search(new float[] {0, 1, 0}, "model-s", "doc", 2);

        assertThat(hits).extracting(SearchHit::entityId).containsExactly("north", "north-east");
        assertThat(hits.getFirst().similarity()).isCloseTo(1.0, offset(1e-6));
        assertThat(hits.get(1).similarity()).isCloseTo(Math.sqrt(0.5), offset(1e-6));
        assertThat(embeddings.search(new float[] {0, 1, 0}, "model-s", null, 1)).extracting(SearchHit::entityId)
                .containsExactly("north");
        String index = new JdbcTemplate(postgres.dataSource()).queryForObject(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'embeddings_hnsw_model_s_3'", String.class);
        assertThat(index).contains("hnsw").contains("vector_cosine_ops").contains("vector(3)");
    }

    @Test
    void pendingAndCoverageCountOnlyEmbeddingsOfTheCurrentTextForTheModel() {
        embeddings.upsert(List.of(vector("post", "p1", "model-c", "h1", 1, 0, 0),
                vector("post", "p2", "model-c", "stale-hash", 0, 1, 0)));

        assertThat(posts.pending("model-c", 10)).extracting(PostRepository.PostText::postId).containsExactly("p2", "p3");
        PostRepository.PostCoverage coverage = posts.coverage("model-c");
        assertThat(coverage.totalPosts()).isEqualTo(3);
        assertThat(coverage.postsWithEmbeddings()).isEqualTo(1);
        assertThat(coverage.coveragePercent()).isEqualTo(33.33);
        assertThat(posts.texts(List.of("p3", "nope"))).containsOnlyKeys("p3");
    }

    private static Post post(String id, String text, String hash) {
        return new Post(id, "https://example.org/" + id, null, text, "author", "test", null, null,
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(id.charAt(1)), hash, Map.of("k", "v"));
    }

    private static Embedding vector(String type, String id, String model, String hash, float... values) {
        return new Embedding(type, id, model, hash, values, id);
    }
}
