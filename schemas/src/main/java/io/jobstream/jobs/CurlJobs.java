package io.jobstream.jobs;

import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * Seed 003's contract between ingest-service (which submits curl jobs and streams their progress)
 * and curl-processor (which turns screenshots into API resources and embeds them). A curl job's
 * resources are {@code {jobId}:{n}}; each resource's embedding job is {@code api-resource:{jobId}:{n}}
 * and names the curl job as its parent, so one job's progress covers both queues.
 */
public final class CurlJobs {

    public static final QueueTopics CURL_GENERATION = TopicCatalog.queue("curl-generation");
    public static final QueueTopics EMBEDDINGS_GENERATION = TopicCatalog.queue("embeddings-generation");

    /** Job type of a screenshot's curl job, and of the flow parent of a submission (of one screenshot or several). */
    public static final String JOB_TYPE = "curl-generation";
    public static final String BATCH_JOB_TYPE = "curl-generation-batch";
    /** Job type of a resource's embedding job. */
    public static final String EMBEDDING_JOB_TYPE = "api-resource-embedding";
    /** Entity type of a resource in the embeddings table and in semantic search. */
    public static final String ENTITY_TYPE = "api-resource";

    /** Fields of a curl job's JSON data. */
    public static final String CONTENT_REF = "contentRef";
    public static final String PAGE_URL = "pageUrl";
    public static final String PAGE_TITLE = "pageTitle";
    /** Field of a curl job's return value listing its embedding jobs. */
    public static final String EMBEDDING_JOB_IDS = "embeddingJobIds";

    private CurlJobs() {
    }

    /** The id of the {@code index}th (0-based) resource of curl job {@code jobId}. */
    public static String resourceId(String jobId, int index) {
        return jobId + ":" + (index + 1);
    }

    public static String embeddingJobId(String resourceId) {
        return ENTITY_TYPE + ":" + resourceId;
    }
}
