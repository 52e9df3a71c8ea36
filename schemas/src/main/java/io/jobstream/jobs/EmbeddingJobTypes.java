package io.jobstream.jobs;

/**
 * The job types of the embedding queue that are not about one entity: both the services that
 * submit them and the processor that runs them name them from here.
 */
public final class EmbeddingJobTypes {

    /** Seed 000's {@code generate-embeddings}: embed up to {@code batchSize} posts lacking a current vector. */
    public static final String GENERATE_PENDING = "generate-embeddings";
    /** Re-read content.posts from the beginning and embed what is missing or stale for a model. */
    public static final String BACKFILL = "backfill-embeddings";
    /** The metadata key of {@link #GENERATE_PENDING}'s batch size. */
    public static final String BATCH_SIZE = "batchSize";

    private EmbeddingJobTypes() {
    }
}
