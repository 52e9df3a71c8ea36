package io.jobstream.ingest.embedding;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.jobstream.core.content.TextHash;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.submit.JobIds;
import tools.jackson.databind.JsonNode;

/**
 * Request bodies of the embedding job routes → {@link EmbeddingJob}s. Options follow seed 004's
 * {@code enqueue*} helpers: {@code triggeredBy}, {@code previousTextHash}, {@code priority},
 * {@code delay} (ms), plus a client {@code jobId} that replaces the deterministic one.
 */
final class EmbeddingJobRequests {

    static final int MIN_PRIORITY = 1;
    static final int MAX_PRIORITY = 10;
    static final long MAX_DELAY_MILLIS = Duration.ofDays(7).toMillis();

    private static final int MAX_FIELD_CHARS = 200;
    private static final int MAX_HASH_CHARS = 128;
    private static final int MAX_METADATA_ENTRIES = 100;
    private static final int MAX_METADATA_VALUE_CHARS = 2000;
    private static final String DEFAULT_TRIGGER = "api";
    /** Entity types become job types and the {@code type:id} key, so they cannot contain ':'. */
    private static final Pattern ENTITY_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private EmbeddingJobRequests() {
    }

    /** {@code POST /api/jobs/embedding}: any entity type. */
    static EmbeddingJob generic(JsonNode body) {
        JsonFields fields = JsonFields.of(body);
        String entityType = fields.requiredText("entityType", MAX_FIELD_CHARS);
        if (!ENTITY_TYPE.matcher(entityType).matches()) {
            throw new BadRequestException("entityType", "must be lower-case letters, digits, '.', '_' or '-', got '" + entityType + "'");
        }
        String entityId = entityId("entityId", fields.requiredText("entityId", MAX_FIELD_CHARS));
        return withOptions(fields, entityType, entityId, fields.text("userId", MAX_FIELD_CHARS));
    }

    /** {@code POST /api/embeddings/products/{productId}}; the body is optional. */
    static EmbeddingJob product(String productId, JsonNode body) {
        JsonFields fields = typed(body);
        return withOptions(fields, EmbeddingJob.PRODUCT, entityId("productId", productId), fields.text("userId", MAX_FIELD_CHARS));
    }

    /** {@code POST /api/embeddings/taste-profiles/{tasteProfileId}}: the profile's user is required. */
    static EmbeddingJob tasteProfile(String tasteProfileId, JsonNode body) {
        JsonFields fields = typed(body);
        return withOptions(fields, EmbeddingJob.TASTE_PROFILE, entityId("tasteProfileId", tasteProfileId),
                fields.requiredText("userId", MAX_FIELD_CHARS));
    }

    private static JsonFields typed(JsonNode body) {
        JsonFields fields = JsonFields.of(body);
        for (String pathOnly : List.of("entityType", "entityId")) {
            if (fields.has(pathOnly)) {
                throw new BadRequestException(pathOnly, "is given by the path on this route");
            }
        }
        return fields;
    }

    private static EmbeddingJob withOptions(JsonFields fields, String entityType, String entityId, String userId) {
        String jobId = fields.text("jobId", JobIds.MAX_LENGTH);
        if (jobId != null) {
            JobIds.problem(jobId).ifPresent(reason -> {
                throw new BadRequestException("jobId", reason);
            });
        } else {
            jobId = EmbeddingJob.deterministicId(entityType, entityId);
        }
        String text = fields.text("text", Integer.MAX_VALUE);
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > EmbeddingJob.MAX_TEXT_BYTES) {
            throw new BadRequestException("text", "must be at most " + EmbeddingJob.MAX_TEXT_BYTES / 1024 + " KB of UTF-8");
        }
        Long priority = fields.wholeNumber("priority", MIN_PRIORITY, MAX_PRIORITY);
        Long delay = fields.wholeNumber("delay", 0, MAX_DELAY_MILLIS);
        String triggeredBy = fields.text("triggeredBy", MAX_FIELD_CHARS);
        EmbeddingJob job = new EmbeddingJob(
                jobId,
                EmbeddingJob.jobType(entityType),
                EmbeddingJob.key(entityType, entityId),
                entityType,
                entityId,
                text,
                text == null ? null : TextHash.of(text),
                fields.text("previousTextHash", MAX_HASH_CHARS),
                fields.text("model", MAX_FIELD_CHARS),
                priority == null ? EmbeddingJob.defaultPriority(entityType) : priority.intValue(),
                delay == null ? Duration.ZERO : Duration.ofMillis(delay),
                triggeredBy == null ? DEFAULT_TRIGGER : triggeredBy,
                userId,
                fields.text("recipientId", MAX_FIELD_CHARS),
                fields.textMap("metadata", MAX_METADATA_ENTRIES, MAX_METADATA_VALUE_CHARS));
        if ((text == null || text.isBlank()) && !"post".equals(entityType)) {
            // jobstream holds the text of posts only (content.posts); a product's text lives with its owner.
            throw new BadRequestException("text", "is required for entity type " + entityType);
        }
        return job;
    }

    private static String entityId(String field, String id) {
        JobIds.problem(id).ifPresent(reason -> {
            throw new BadRequestException(field, reason);
        });
        return id;
    }
}
