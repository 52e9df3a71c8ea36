package io.jobstream.store.document;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Uploaded files, the claim check of the document pipeline: the bytes are written once, keyed by
 * their SHA-256, and jobs carry the key. The same file uploaded twice is stored once.
 */
public final class DocumentUploads {

    private final JdbcTemplate jdbc;

    public DocumentUploads(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** @return the content reference the job carries */
    public String store(Upload upload) {
        String ref = "sha256:" + sha256(upload.content());
        jdbc.update("""
                INSERT INTO document_uploads (content_ref, file_name, content_type, size_bytes, content)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (content_ref) DO NOTHING
                """, ref, upload.fileName(), upload.contentType(), upload.content().length, upload.content());
        return ref;
    }

    public Optional<Upload> load(String contentRef) {
        List<Upload> found = jdbc.query("SELECT file_name, content_type, content FROM document_uploads WHERE content_ref = ?",
                (rs, row) -> new Upload(rs.getString(1), rs.getString(2), rs.getBytes(3)), contentRef);
        return found.stream().findFirst();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
