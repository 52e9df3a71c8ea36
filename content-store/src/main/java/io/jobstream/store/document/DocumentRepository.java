package io.jobstream.store.document;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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

    private static final String SUMMARY_COLUMNS = """
            d.document_id, d.file_name, d.media_type, d.characters, d.label, d.label_score, d.scores::text,
            d.classification_provider, d.ner_provider, d.chunk_count, d.ingested_at""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public DocumentRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public void ingest(IngestedDocument document) {
        transaction.executeWithoutResult(status -> {
            jdbc.update("""
                    INSERT INTO documents (document_id, file_name, media_type, characters, label, label_score, scores, chunk_count,
                                           classification_provider, ner_provider)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                    ON CONFLICT (document_id) DO UPDATE SET
                        file_name = EXCLUDED.file_name, media_type = EXCLUDED.media_type, characters = EXCLUDED.characters,
                        label = EXCLUDED.label, label_score = EXCLUDED.label_score, scores = EXCLUDED.scores,
                        chunk_count = EXCLUDED.chunk_count, classification_provider = EXCLUDED.classification_provider,
                        ner_provider = EXCLUDED.ner_provider, ingested_at = now()
                    """, document.documentId(), document.fileName(), document.mediaType(), document.characters(),
                    document.label(), document.labelScore(), JSON.writeValueAsString(document.scores()), document.chunkCount(),
                    document.classificationProvider(), document.nerProvider());
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
                SELECT document_id, file_name, media_type, characters, label, label_score, scores, chunk_count,
                       classification_provider, ner_provider
                FROM documents WHERE document_id = ?
                """, (rs, row) -> new IngestedDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getString(5), rs.getDouble(6), JSON.readValue(rs.getString(7), SCORES), rs.getInt(8), List.of(),
                rs.getString(9), rs.getString(10)), documentId).stream().findFirst();
    }

    public Optional<DocumentSummary> summary(String documentId) {
        return jdbc.query("SELECT " + SUMMARY_COLUMNS + " FROM documents d WHERE d.document_id = ?",
                DocumentRepository::summary, documentId).stream().findFirst();
    }

    /**
     * Documents newest first, optionally only those with {@code label} and those mentioning an
     * entity named {@code entity} (any case; of {@code entityType} when given). Null filters match all.
     */
    public List<DocumentSummary> list(String label, String entity, String entityType, int limit, int offset) {
        List<Object> arguments = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (label != null) {
            where.append(" AND d.label = ?");
            arguments.add(label);
        }
        if (entity != null) {
            where.append(" AND EXISTS (SELECT 1 FROM document_entity_mentions m JOIN entities e USING (entity_id)"
                    + " WHERE m.document_id = d.document_id AND lower(e.name) = lower(?)");
            arguments.add(entity);
            if (entityType != null) {
                where.append(" AND e.entity_type = ?");
                arguments.add(entityType);
            }
            where.append(")");
        }
        arguments.add(limit);
        arguments.add(offset);
        return jdbc.query("SELECT " + SUMMARY_COLUMNS + " FROM documents d" + where
                + " ORDER BY d.ingested_at DESC, d.document_id LIMIT ? OFFSET ?", DocumentRepository::summary, arguments.toArray());
    }

    /** Every mention of the document, in text order. */
    public List<Mention> mentions(String documentId) {
        return jdbc.query("""
                SELECT e.entity_type, e.name, m.start_offset, m.end_offset
                FROM document_entity_mentions m JOIN entities e USING (entity_id)
                WHERE m.document_id = ?
                ORDER BY m.start_offset, m.end_offset
                """, (rs, row) -> new Mention(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)), documentId);
    }

    private static DocumentSummary summary(ResultSet rs, int row) throws SQLException {
        return new DocumentSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                rs.getDouble(6), JSON.readValue(rs.getString(7), SCORES), rs.getString(8), rs.getString(9), rs.getInt(10),
                rs.getTimestamp(11).toInstant());
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
