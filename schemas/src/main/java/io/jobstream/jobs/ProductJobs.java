package io.jobstream.jobs;

/**
 * Seed 004's product job ids and priorities, shared by the routes that add the jobs and the
 * processor that derives them from the products topic, so both name the same job.
 */
public final class ProductJobs {

    public static final String ENTITY_TYPE = "product";
    public static final String EMBEDDING_JOB_TYPE = "product-embedding";
    public static final String ENRICHMENT_JOB_TYPE = "product-enrichment";
    public static final String COLLECTIONS_JOB_TYPE = "curated-collections";
    /** Seed 004's priorities (1 is the highest). */
    public static final int EMBEDDING_PRIORITY = 2;
    public static final int ENRICHMENT_PRIORITY = 3;
    public static final int COLLECTIONS_PRIORITY = 4;

    private ProductJobs() {
    }

    /** {@code product-embedding:{productId}}. */
    public static String embeddingJobId(String productId) {
        return EMBEDDING_JOB_TYPE + ":" + productId;
    }

    /** {@code product-enrichment:{productId}}. */
    public static String enrichmentJobId(String productId) {
        return ENRICHMENT_JOB_TYPE + ":" + productId;
    }

    /** {@code curated-collections:{surface}:{date}}. */
    public static String collectionsJobId(String surface, String date) {
        return COLLECTIONS_JOB_TYPE + ":" + surface + ":" + date;
    }

    /** The ordering key of a product's jobs ({@code product:{productId}}), as the embedding routes use it. */
    public static String key(String productId) {
        return ENTITY_TYPE + ":" + productId;
    }
}
