package io.jobstream.store.document;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Documents, their entities and mentions. Ingesting a document id again (a re-run after a crash)
 * replaces its row and mentions in one transaction, so nothing is ever counted twice.
 */
public final class DocumentRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Double>> SCORES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public DocumentRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public void ingest(IngestedDocument document) {
        transaction.executeWithoutResult(status -> {
            jdbc.update("""
                    INSERT INTO documents (document_id, file_name, media_type, characters, label, label_score, scores, chunk_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                    ON CONFLICT (document_id) DO UPDATE SET
                        file_name = EXCLUDED.file_name, media_type = EXCLUDED.media_type, characters = EXCLUDED.characters,
                        label = EXCLUDED.label, label_score = EXCLUDED.label_score, scores = EXCLUDED.scores,
                        chunk_count = EXCLUDED.chunk_count, ingested_at = now()
                    """, document.documentId(), document.fileName(), document.mediaType(), document.characters(),
                    document.label(), document.labelScore(), JSON.writeValueAsString(document.scores()), document.chunkCount());
            jdbc.update("DELETE FROM document_entity_mentions WHERE document_id = ?", document.documentId());
            // Entities in one order in every transaction: concurrent ingestions sharing entities cannot deadlock.
            List<Mention> ordered = document.mentions().stream()
                    .sorted(Comparator.comparing(Mention::type).thenComparing(Mention::text).thenComparingInt(Mention::start))
                    .toList();
            for (Mention mention : ordered) {
                jdbc.update("""
                        WITH entity AS (
                            INSERT INTO entities (entity_type, name) VALUES (?, ?)
                            ON CONFLICT (entity_type, name) DO UPDATE SET name = EXCLUDED.name
                            RETURNING entity_id)
                        INSERT INTO document_entity_mentions (document_id, entity_id, start_offset, end_offset)
                        SELECT ?, entity_id, ?, ? FROM entity
                        ON CONFLICT DO NOTHING
                        """, mention.type(), mention.text(), document.documentId(), mention.start(), mention.end());
            }
        });
    }

    /** The document without its mentions (see {@link #entities}). */
    public Optional<IngestedDocument> find(String documentId) {
        return jdbc.query("""
                SELECT document_id, file_name, media_type, characters, label, label_score, scores, chunk_count
                FROM documents WHERE document_id = ?
                """, (rs, row) -> new IngestedDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getString(5), rs.getDouble(6), JSON.readValue(rs.getString(7), SCORES), rs.getInt(8), List.of()),
                documentId).stream().findFirst();
    }

    /** The document's entities with their mention counts, most mentioned first. */
    public List<EntityCount> entities(String documentId) {
        return jdbc.query("""
                SELECT e.entity_type, e.name, count(*) FROM document_entity_mentions m JOIN entities e USING (entity_id)
                WHERE m.document_id = ?
                GROUP BY e.entity_type, e.name
                ORDER BY count(*) DESC, e.entity_type, e.name
                """, (rs, row) -> new EntityCount(rs.getString(1), rs.getString(2), rs.getInt(3)), documentId);
    }
}
