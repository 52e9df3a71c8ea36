package io.jobstream.ingest.embedding;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the status API shows as an embedding job's {@code data}. The text itself is left out: it
 * can be 100 KB and the job-status store keeps data for every job; its hash identifies it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record EmbeddingJobData(String entityType, String entityId, String textHash, String previousTextHash, String model,
                        int priority, String triggeredBy, String userId, String recipientId,
                        Map<String, String> metadata) {

    static EmbeddingJobData of(EmbeddingJob job) {
        return new EmbeddingJobData(job.entityType(), job.entityId(), job.textHash(), job.previousTextHash(),
                job.model(), job.priority(), job.triggeredBy(), job.userId(), job.recipientId(), job.metadata());
    }
}
