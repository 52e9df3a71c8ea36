package io.jobstream.store.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.test.PostgresExtension;

/** Uploads, extracted texts and ingested documents in a real PostgreSQL. */
class DocumentStoreIT {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    static DocumentUploads uploads;
    static DocumentTexts texts;
    static DocumentRepository documents;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(postgres.dataSource()).load().migrate();
        uploads = new DocumentUploads(postgres.dataSource());
        texts = new DocumentTexts(postgres.dataSource());
        documents = new DocumentRepository(postgres.dataSource());
        jdbc = new JdbcTemplate(postgres.dataSource());
    }

    @Test
    void theSameBytesAreStoredOnceUnderOneReference() {
        byte[] content = "the same report".getBytes(StandardCharsets.UTF_8);

        String first = uploads.store(new Upload("a.txt", "text/plain", content));
        String second = uploads.store(new Upload("b.txt", "text/plain", content));

        assertThat(second).isEqualTo(first).startsWith("sha256:");
        assertThat(uploads.load(first).orElseThrow().content()).isEqualTo(content);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document_uploads WHERE content_ref = ?", Long.class, first)).isEqualTo(1);
        assertThat(uploads.load("sha256:unknown")).isEmpty();
    }

    @Test
    void extractedTextIsReplacedByDocumentId() {
        texts.save(new ExtractedText("t1", "first", "text/plain", Map.of("pages", "1")));
        texts.save(new ExtractedText("t1", "second", "application/pdf", Map.of("pages", "2")));

        ExtractedText text = texts.load("t1").orElseThrow();
        assertThat(text.text()).isEqualTo("second");
        assertThat(text.metadata()).containsEntry("pages", "2");
    }

    @Test
    void ingestingADocumentAgainReplacesItsRowAndMentionsAndSharesEntities() {
        List<Mention> mentions = List.of(new Mention("PERSON", "Warren Buffett", 0, 14), new Mention("LOCATION", "Omaha", 24, 29),
                new Mention("PERSON", "Warren Buffett", 40, 54));
        IngestedDocument document = new IngestedDocument("d1", "d1.txt", "text/plain", 60, "finance", 0.61,
                Map.of("finance", 0.61, "legal", 0.2), 1, mentions, "zero-shot", "crf");

        documents.ingest(document);
        documents.ingest(document);
        documents.ingest(new IngestedDocument("d2", "d2.txt", "text/plain", 10, "legal", 0.5, Map.of("legal", 0.5), 1,
                List.of(new Mention("LOCATION", "Omaha", 0, 5)), "openai:gpt-4o-mini", "openai:gpt-4o-mini"));

        assertThat(documents.entities("d1")).containsExactly(new EntityCount("PERSON", "Warren Buffett", 2),
                new EntityCount("LOCATION", "Omaha", 1));
        assertThat(documents.find("d1").orElseThrow().scores()).containsEntry("finance", 0.61);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM entities WHERE name = 'Omaha'", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document_entity_mentions WHERE document_id = 'd1'", Long.class)).isEqualTo(3);
    }

    @Test
    void documentsAreListedByLabelOrByAnEntityTheyMentionWithTheirProviders() {
        documents.ingest(new IngestedDocument("l1", "l1.txt", "text/plain", 30, "finance", 0.7, Map.of("finance", 0.7), 2,
                List.of(new Mention("ORGANIZATION", "Acme Corp", 10, 19), new Mention("PERSON", "Ada Lovelace", 0, 12)),
                "zero-shot", "crf"));
        documents.ingest(new IngestedDocument("l2", "l2.txt", "text/plain", 30, "health", 0.8, Map.of("health", 0.8), 1,
                List.of(new Mention("ORGANIZATION", "ACME CORP", 3, 12)), "zero-shot", "crf"));

        assertThat(documents.list("health", null, null, 100, 0)).extracting(DocumentSummary::documentId).contains("l2")
                .doesNotContain("l1");
        assertThat(documents.list(null, "acme corp", null, 100, 0)).extracting(DocumentSummary::documentId)
                .containsExactlyInAnyOrder("l1", "l2");
        assertThat(documents.list("finance", "Acme Corp", null, 100, 0)).extracting(DocumentSummary::documentId)
                .containsExactly("l1");
        assertThat(documents.list(null, "Ada Lovelace", "LOCATION", 100, 0)).isEmpty();
        assertThat(documents.list(null, "acme corp", null, 1, 1)).hasSize(1);
        assertThat(documents.mentions("l1")).containsExactly(new Mention("PERSON", "Ada Lovelace", 0, 12),
                new Mention("ORGANIZATION", "Acme Corp", 10, 19));
        DocumentSummary summary = documents.summary("l1").orElseThrow();
        assertThat(summary.classificationProvider()).isEqualTo("zero-shot");
        assertThat(summary.nerProvider()).isEqualTo("crf");
        assertThat(summary.chunkCount()).isEqualTo(2);
        assertThat(documents.summary("missing")).isEmpty();
    }
}
