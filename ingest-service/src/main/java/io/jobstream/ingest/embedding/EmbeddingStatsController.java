package io.jobstream.ingest.embedding;

import java.time.Instant;
import java.util.Map;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.events.JobState;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.store.PostRepository;
import io.jobstream.topics.TopicCatalog;

/**
 * Seed 000's {@code GET /api/content/embeddings/stats}: coverage of the posts by current vectors
 * (from PostgreSQL) and the embedding queue's counts (from the job-status store).
 */
@RestController
public class EmbeddingStatsController {

    private final PostRepository posts;
    private final JobStatusQueries queries;
    private final EmbeddingStatsProperties properties;

    public EmbeddingStatsController(PostRepository posts, JobStatusQueries queries, EmbeddingStatsProperties properties) {
        this.posts = posts;
        this.queries = queries;
        this.properties = properties;
    }

    @GetMapping("/api/content/embeddings/stats")
    public ResponseEntity<Map<String, Object>> stats(@RequestParam(required = false) String model) {
        String statsModel = model == null || model.isBlank() ? properties.model() : model;
        Map<JobState, Long> queue = queries.countsByQueue().getOrDefault(TopicCatalog.EMBEDDING.queue(), Map.of());
        PostRepository.PostCoverage coverage;
        try {
            coverage = posts.coverage(statsModel);
        } catch (DataAccessException unavailable) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(Map.of(
                    "success", false,
                    "message", "the content database is not available: " + unavailable.getMostSpecificCause().getMessage()));
        }
        long active = count(queue, JobState.ACTIVE) + count(queue, JobState.PROGRESS);
        long failed = count(queue, JobState.FAILED) + count(queue, JobState.DEAD_LETTERED);
        long waiting = count(queue, JobState.QUEUED);
        long delayed = count(queue, JobState.DELAYED) + count(queue, JobState.RETRY_SCHEDULED);
        long completed = count(queue, JobState.COMPLETED);
        return ResponseEntity.ok(Map.of(
                "success", true,
                "model", statsModel,
                "database", Map.of(
                        "total_posts", coverage.totalPosts(),
                        "posts_with_embeddings", coverage.postsWithEmbeddings(),
                        "pending", coverage.totalPosts() - coverage.postsWithEmbeddings(),
                        "processing", active,
                        "failed", failed,
                        "completed", coverage.postsWithEmbeddings(),
                        "coverage_pct", coverage.coveragePercent()),
                "queue", Map.of(
                        "waiting", waiting,
                        "active", active,
                        "completed", completed,
                        "failed", failed,
                        "delayed", delayed,
                        "total", queue.values().stream().mapToLong(Long::longValue).sum()),
                "timestamp", Instant.now().toString()));
    }

    private static long count(Map<JobState, Long> counts, JobState state) {
        return counts.getOrDefault(state, 0L);
    }
}
