package io.jobstream.ingest.embedding;

import java.time.Duration;
import java.util.Map;

import io.jobstream.jobs.PostEmbeddingJob;

/**
 * One job for the embedding queue, validated, before it becomes an {@code EmbeddingRequested}.
 *
 * @param key      the ordering key: {@code type:id}, so jobs of one entity run in order
 * @param text     the text to embed; null when the processor loads the entity's own text
 * @param textHash SHA-256 of {@code text}, or null with it
 * @param priority 1 is the highest, as in BullMQ
 * @param delay    zero to run now; otherwise the job waits, DELAYED, that long
 */
public record EmbeddingJob(String jobId, String jobType, String key, String entityType, String entityId,
                           String text, String textHash, String previousTextHash, String model, int priority,
                           Duration delay, String triggeredBy, String userId, String recipientId,
                           Map<String, String> metadata) {

    public static final String POST = PostEmbeddingJob.ENTITY_TYPE;
    public static final String PRODUCT = "product";
    public static final String TASTE_PROFILE = "taste-profile";
    /** The most text one job may carry (UTF-8): far above any embedding model's input, below Kafka's record limit. */
    public static final int MAX_TEXT_BYTES = 100 * 1024;
    /** Seed 004's level for product work; the schema's default too. */
    public static final int DEFAULT_PRIORITY = 2;
    /** Seed 004: a user is waiting for their taste profile. */
    public static final int TASTE_PROFILE_PRIORITY = 1;

    public EmbeddingJob {
        metadata = Map.copyOf(metadata);
    }

    /** Seed 004's deterministic ids: {@code product-embedding:{productId}}, {@code taste-profile-embedding:{id}}, ... */
    public static String deterministicId(String entityType, String entityId) {
        return jobType(entityType) + ":" + entityId;
    }

    public static String jobType(String entityType) {
        return entityType + "-embedding";
    }

    public static String key(String entityType, String entityId) {
        return entityType + ":" + entityId;
    }

    public static int defaultPriority(String entityType) {
        return TASTE_PROFILE.equals(entityType) ? TASTE_PROFILE_PRIORITY : DEFAULT_PRIORITY;
    }

    /** One post's embedding, under the id every route uses for that post. */
    public static EmbeddingJob forPost(String postId, String text, String textHash, String triggeredBy) {
        return new EmbeddingJob(PostEmbeddingJob.jobId(postId), PostEmbeddingJob.JOB_TYPE, PostEmbeddingJob.key(postId), POST, postId,
                text, textHash, null, null, DEFAULT_PRIORITY, Duration.ZERO, triggeredBy, null, null, Map.of());
    }

    public boolean delayed() {
        return !delay.isZero();
    }
}
