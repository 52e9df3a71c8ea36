package io.jobstream.ingest.embedding;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Response bodies of the embedding routes: seed 000's shapes for the content routes, seed 004's jobs for the rest. */
final class EmbeddingResponses {

    private EmbeddingResponses() {
    }

    /** {@code POST /api/content/embeddings/generate}, as seed 000 answered it. */
    /** @param model null: the processor's default model */
    record BackfillQueued(boolean success, String message, String jobId, String model) {
        BackfillQueued(String jobId, String model) {
            this(true, "Embedding backfill job queued", jobId, model);
        }
    }

    record BatchQueued(boolean success, String message, String jobId, int batchSize) {
        BatchQueued(String jobId, int batchSize) {
            this(true, "Embedding generation job queued", jobId, batchSize);
        }
    }

    /** {@code POST /api/content/embeddings/posts}. */
    record PostsQueued(boolean success, String message, List<String> jobIds, int count) {
        PostsQueued(List<String> jobIds) {
            this(true, "Embedding generation queued for " + jobIds.size() + " posts", jobIds, jobIds.size());
        }
    }

    /** What adding one job answers. */
    sealed interface JobAnswer {
    }

    /** 202: a new job, {@code waiting} or {@code delayed} (until {@code delayedUntil}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobQueued(boolean success, String jobId, String queue, String state, Instant delayedUntil, String statusUrl)
            implements JobAnswer {
    }

    /** 200: the id's unfinished job, which the caller gets instead of a new one. */
    record ExistingJob(boolean success, String jobId, boolean duplicate, String status, String statusUrl)
            implements JobAnswer {
    }
}
