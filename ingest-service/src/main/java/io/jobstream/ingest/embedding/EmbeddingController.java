package io.jobstream.ingest.embedding;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.jobstream.core.job.SubmittedJob;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JobStatusWords;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.embedding.EmbeddingJobs.Outcome;
import io.jobstream.ingest.embedding.EmbeddingResponses.BackfillQueued;
import io.jobstream.ingest.embedding.EmbeddingResponses.BatchQueued;
import io.jobstream.ingest.embedding.EmbeddingResponses.ExistingJob;
import io.jobstream.ingest.embedding.EmbeddingResponses.JobAnswer;
import io.jobstream.ingest.embedding.EmbeddingResponses.JobQueued;
import io.jobstream.ingest.embedding.EmbeddingResponses.PostsQueued;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.submit.JobIds;
import tools.jackson.databind.JsonNode;

/**
 * Embedding jobs: seed 000's content-service routes ({@code /api/content/embeddings/...}) and seed
 * 004's typed jobs (products, taste profiles, or any entity through {@code /api/jobs/embedding}).
 * Every route answers once the jobs are durable on the embedding queue; none waits for the work.
 */
@RestController
public class EmbeddingController {

    static final int DEFAULT_BATCH_SIZE = 100;
    static final int MAX_BATCH_SIZE = 1000;
    static final int MAX_POST_IDS = 1000;
    static final int MAX_MODEL_CHARS = 100;
    private static final String TRIGGERED_BY_API = "api";

    private final EmbeddingJobs jobs;

    public EmbeddingController(EmbeddingJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping("/api/content/embeddings/generate")
    public BatchQueued generate(@RequestBody(required = false) JsonNode body) {
        Long batchSize = JsonFields.of(body).wholeNumber("batchSize", 1, MAX_BATCH_SIZE);
        int size = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize.intValue();
        SubmittedJob job = jobs.submitPendingBatch(size, TRIGGERED_BY_API);
        return new BatchQueued(job.jobId(), size);
    }

    @PostMapping("/api/content/embeddings/backfill")
    public BackfillQueued backfill(@RequestBody(required = false) JsonNode body) {
        String model = JsonFields.of(body).text("model", MAX_MODEL_CHARS);
        SubmittedJob job = jobs.submitBackfill(model, TRIGGERED_BY_API);
        return new BackfillQueued(job.jobId(), model);
    }

    @PostMapping("/api/content/embeddings/posts")
    public PostsQueued posts(@RequestBody(required = false) JsonNode body) {
        JsonFields fields = JsonFields.of(body);
        List<String> postIds = fields.textList("postIds", MAX_POST_IDS, JobIds.MAX_LENGTH);
        if (postIds == null) {
            throw new BadRequestException("postIds", "is required");
        }
        for (int i = 0; i < postIds.size(); i++) {
            String field = "postIds[" + i + "]";
            JobIds.problem(postIds.get(i)).ifPresent(reason -> {
                throw new BadRequestException(field, reason);
            });
        }
        // A post listed twice is one job: one transaction must not add the same job id twice.
        return new PostsQueued(jobs.submitPosts(List.copyOf(new LinkedHashSet<>(postIds)), TRIGGERED_BY_API));
    }

    @PostMapping("/api/jobs/embedding")
    public ResponseEntity<JobAnswer> embedding(@RequestBody(required = false) JsonNode body) {
        return answer(jobs.submit(EmbeddingJobRequests.generic(body)));
    }

    @PostMapping("/api/embeddings/products/{productId}")
    public ResponseEntity<JobAnswer> product(@PathVariable String productId, @RequestBody(required = false) JsonNode body) {
        return answer(jobs.submit(EmbeddingJobRequests.product(productId, body)));
    }

    @PostMapping("/api/embeddings/taste-profiles/{tasteProfileId}")
    public ResponseEntity<JobAnswer> tasteProfile(@PathVariable String tasteProfileId, @RequestBody(required = false) JsonNode body) {
        return answer(jobs.submit(EmbeddingJobRequests.tasteProfile(tasteProfileId, body)));
    }

    private static ResponseEntity<JobAnswer> answer(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Submitted(SubmittedJob job) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new JobQueued(
                    true, job.jobId(), job.queue(), JobStatusWords.of(job.state()), dueAt(job), statusUrl(job.jobId())));
            case Outcome.Existing(JobSnapshot job) -> ResponseEntity.ok(new ExistingJob(
                    true, job.jobId(), true, JobStatusWords.of(job.state()), statusUrl(job.jobId())));
        };
    }

    /** In milliseconds, as the job's events and {@code /api/jobs/{id}} carry it. */
    private static Instant dueAt(SubmittedJob job) {
        return job.dueAt() == null ? null : job.dueAt().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String statusUrl(String jobId) {
        return "/api/jobs/" + UriUtils.encodePathSegment(jobId, StandardCharsets.UTF_8);
    }
}
