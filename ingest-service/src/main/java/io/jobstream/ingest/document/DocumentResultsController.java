package io.jobstream.ingest.document;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.core.web.ErrorBody;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.RequestNumbers;
import io.jobstream.store.document.DocumentRepository;
import io.jobstream.store.document.DocumentSummary;
import io.jobstream.store.document.DocumentTexts;

/**
 * Seed 002's results a user can read: what the pipeline wrote to PostgreSQL for a document, and
 * documents listed by label or by an entity they mention.
 */
@RestController
public class DocumentResultsController {

    static final int MAX_FILTER_CHARS = 200;
    /** The entity types both recognizers produce. */
    static final Set<String> ENTITY_TYPES = Set.of("PERSON", "ORGANIZATION", "LOCATION", "DATE", "MONEY", "PERCENT", "TIME");

    private final DocumentRepository documents;
    private final DocumentTexts texts;

    public DocumentResultsController(DocumentRepository documents, DocumentTexts texts) {
        this.documents = documents;
        this.texts = texts;
    }

    public record DocumentResponse(boolean success, DocumentResultView document) {
    }

    public record DocumentListResponse(boolean success, int count, int limit, int offset,
                                       List<DocumentResultView.Listed> documents) {
    }

    @GetMapping("/api/documents/{id}")
    public DocumentResponse document(@PathVariable String id) {
        DocumentSummary document = documents.summary(id).orElseThrow(() -> new DocumentNotFoundException(id));
        return new DocumentResponse(true, DocumentResultView.of(document, documents.mentions(id),
                texts.metadata(id).orElse(Map.of())));
    }

    /** Newest first; {@code entity} matches an entity's text in any case, {@code entityType} narrows it. */
    @GetMapping("/api/documents")
    public DocumentListResponse list(@RequestParam(required = false) String label,
                                     @RequestParam(required = false) String entity,
                                     @RequestParam(required = false) String entityType,
                                     @RequestParam(required = false) String limit,
                                     @RequestParam(required = false) String offset) {
        String type = filter("entityType", entityType) == null ? null : entityType.trim().toUpperCase(Locale.ROOT);
        if (type != null && !ENTITY_TYPES.contains(type)) {
            throw new BadRequestException("entityType", "must be one of " + ENTITY_TYPES.stream().sorted().toList() + ", got " + type);
        }
        String name = filter("entity", entity);
        if (type != null && name == null) {
            throw new BadRequestException("entityType", "needs entity (the entity's text)");
        }
        int pageSize = RequestNumbers.count("limit", limit, DocumentController.DEFAULT_LIMIT, DocumentController.MAX_LIMIT);
        int skip = RequestNumbers.count("offset", offset, 0, Integer.MAX_VALUE);
        List<DocumentResultView.Listed> found = documents.list(filter("label", label), name, type, pageSize, skip).stream()
                .map(DocumentResultView.Listed::of)
                .toList();
        return new DocumentListResponse(true, found.size(), pageSize, skip, found);
    }

    private static String filter(String field, String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim();
        if (value.isEmpty()) {
            throw new BadRequestException(field, "must not be blank");
        }
        if (value.length() > MAX_FILTER_CHARS) {
            throw new BadRequestException(field, "must be at most " + MAX_FILTER_CHARS + " characters");
        }
        return value;
    }

    static final class DocumentNotFoundException extends RuntimeException {
        DocumentNotFoundException(String id) {
            super("no ingested document " + id + " (a document still in the pipeline shows its progress at "
                    + "/api/pipeline/process?jobId=" + id + ")");
        }
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> notFound(DocumentNotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ErrorBody("Document not found", "id", e.getMessage()));
    }
}
