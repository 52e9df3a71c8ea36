package io.jobstream.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import com.pgvector.PGvector;

/**
 * Vectors in pgvector, one row per (entity type, entity id, model). Upserts are idempotent, so a
 * re-delivered job writes the same row again. Each model gets a partial HNSW cosine index over its
 * own dimension; searches filter by model and cast to that dimension so the planner uses it.
 */
public final class EmbeddingRepository {

    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,100}");

    private final JdbcTemplate jdbc;
    private final Set<String> indexedModels = ConcurrentHashMap.newKeySet();

    public EmbeddingRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Stored content hashes for these entities and this model, by entity id. */
    public Map<String, String> storedHashes(String entityType, List<String> entityIds, String model) {
        Map<String, String> hashes = new HashMap<>();
        if (entityIds.isEmpty()) {
            return hashes;
        }
        jdbc.query("SELECT entity_id, content_hash FROM embeddings WHERE entity_type = ? AND model = ? AND entity_id = ANY (?)",
                rs -> {
                    hashes.put(rs.getString(1), rs.getString(2));
                }, entityType, model, entityIds.toArray(String[]::new));
        return hashes;
    }

    public void upsert(List<Embedding> embeddings) {
        embeddings.stream().map(e -> e.model() + "#" + e.dimensions()).distinct()
                .forEach(key -> ensureIndex(key.substring(0, key.lastIndexOf('#')),
                        Integer.parseInt(key.substring(key.lastIndexOf('#') + 1))));
        jdbc.batchUpdate("""
                INSERT INTO embeddings (entity_type, entity_id, model, dimensions, content_hash, embedding, content, updated_at)
                VALUES (?, ?, ?, ?, ?, ?::vector, ?, now())
                ON CONFLICT (entity_type, entity_id, model) DO UPDATE SET
                    dimensions = EXCLUDED.dimensions, content_hash = EXCLUDED.content_hash,
                    embedding = EXCLUDED.embedding, content = EXCLUDED.content, updated_at = now()
                """, embeddings, embeddings.size(), (statement, embedding) -> {
            statement.setString(1, embedding.entityType());
            statement.setString(2, embedding.entityId());
            statement.setString(3, embedding.model());
            statement.setInt(4, embedding.dimensions());
            statement.setString(5, embedding.contentHash());
            // A real[] parameter goes over the wire in binary (pgjdbc), and pgvector casts it: no
            // float-to-decimal text on our side nor parsing on the server's, for every component.
            statement.setObject(6, embedding.vector());
            statement.setString(7, embedding.content());
        });
    }

    /** The {@code k} nearest entities of {@code model} (optionally of one type) to {@code query}. */
    public List<SearchHit> search(float[] query, String model, String entityType, int k) {
        String dims = Integer.toString(query.length);
        String sql = """
                SELECT entity_type, entity_id, model, 1 - (embedding::vector(%1$s) <=> ?::vector(%1$s)) AS similarity, content
                FROM embeddings
                WHERE model = ? AND dimensions = %1$s %2$s
                ORDER BY embedding::vector(%1$s) <=> ?::vector(%1$s)
                LIMIT ?
                """.formatted(dims, entityType == null ? "" : "AND entity_type = ?");
        PGvector vector = new PGvector(query);
        Object[] args = entityType == null
                ? new Object[] {vector, model, vector, k}
                : new Object[] {vector, model, entityType, vector, k};
        return jdbc.query(sql, (rs, row) -> new SearchHit(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getDouble(4), rs.getString(5)), args);
    }

    public long count(String model) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE model = ?", Long.class, model);
        return count == null ? 0 : count;
    }

    private void ensureIndex(String model, int dimensions) {
        if (!MODEL_NAME.matcher(model).matches()) {
            throw new IllegalArgumentException("model name must match " + MODEL_NAME + ": " + model);
        }
        if (!indexedModels.add(model + "#" + dimensions)) {
            return;
        }
        String name = "embeddings_hnsw_" + model.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + dimensions;
        try {
            // The model name is validated above: it holds no quote, so the literal is safe.
            jdbc.execute("CREATE INDEX IF NOT EXISTS " + name + " ON embeddings USING hnsw ((embedding::vector(" + dimensions
                    + ")) vector_cosine_ops) WHERE model = '" + model + "' AND dimensions = " + dimensions);
        } catch (DataAccessException raceWithAnotherInstance) {
            // Another instance created it at the same moment; IF NOT EXISTS does not cover that race.
            if (!indexExists(name)) {
                indexedModels.remove(model + "#" + dimensions);
                throw raceWithAnotherInstance;
            }
        }
    }

    private boolean indexExists(String name) {
        Boolean exists = jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, name);
        return Boolean.TRUE.equals(exists);
    }
}
