package io.jobstream.store.document;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Extracted text, keyed by document id: what the steps after extraction read instead of a big record. */
public final class DocumentTexts {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    public DocumentTexts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Idempotent: extracting the same document again replaces its text. */
    public void save(ExtractedText text) {
        jdbc.update("""
                INSERT INTO document_texts (document_id, text, media_type, metadata) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT (document_id) DO UPDATE SET
                    text = EXCLUDED.text, media_type = EXCLUDED.media_type, metadata = EXCLUDED.metadata, updated_at = now()
                """, text.documentId(), text.text(), text.mediaType(), JSON.writeValueAsString(text.metadata()));
    }

    /** The file's metadata as extraction found it (title, author, pages, ...), without loading the text. */
    public Optional<Map<String, String>> metadata(String documentId) {
        return jdbc.query("SELECT metadata FROM document_texts WHERE document_id = ?",
                (rs, row) -> JSON.readValue(rs.getString(1), METADATA), documentId).stream().findFirst();
    }

    public Optional<ExtractedText> load(String documentId) {
        List<ExtractedText> found = jdbc.query("SELECT document_id, text, media_type, metadata FROM document_texts WHERE document_id = ?",
                (rs, row) -> new ExtractedText(rs.getString(1), rs.getString(2), rs.getString(3),
                        JSON.readValue(rs.getString(4), METADATA)), documentId);
        return found.stream().findFirst();
    }
}
