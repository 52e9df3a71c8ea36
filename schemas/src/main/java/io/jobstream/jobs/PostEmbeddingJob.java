package io.jobstream.jobs;

/**
 * How a post's embedding job is named on the embedding queue. The webhook answers with this id and
 * the embedding processor derives the job under it, so both name the same job and the worker's
 * dedupe sees one.
 */
public final class PostEmbeddingJob {

    public static final String ENTITY_TYPE = "post";
    public static final String JOB_TYPE = "post-embedding";

    private PostEmbeddingJob() {
    }

    /** Seed 000's deterministic id: {@code post-embedding:{postId}}. */
    public static String jobId(String postId) {
        return JOB_TYPE + ":" + postId;
    }

    /** The ordering key on embedding.requests: {@code post:{postId}}, so one post's jobs run in order. */
    public static String key(String postId) {
        return ENTITY_TYPE + ":" + postId;
    }
}
