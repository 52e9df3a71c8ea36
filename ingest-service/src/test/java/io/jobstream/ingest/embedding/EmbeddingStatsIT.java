package io.jobstream.ingest.embedding;

import static io.jobstream.ingest.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.events.JobState;
import io.jobstream.ingest.support.EventPublisher;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.Post;
import io.jobstream.store.PostRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import tools.jackson.databind.JsonNode;

/** Seed 000's stats over a real content database, the backfill route, and the hourly embedding scheduler. */
class EmbeddingStatsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final String MODEL = "all-minilm-l6-v2-q";

    @TempDir
    static Path dataDir;

    static IngestInstance ingest;

    @BeforeAll
    static void start() {
        Flyway.configure().dataSource(postgres.dataSource()).load().migrate();
        PostRepository posts = new PostRepository(postgres.dataSource());
        posts.upsert(List.of(post("a"), post("b"), post("c"), post("d")));
        new EmbeddingRepository(postgres.dataSource()).upsert(List.of(
                new Embedding("post", "a", MODEL, "hash-a", new float[] {1, 0}, "a"),
                new Embedding("post", "b", MODEL, "hash-b", new float[] {0, 1}, "b"),
                new Embedding("post", "c", MODEL, "an older text's hash", new float[] {1, 1}, "c")));
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-stats-test", dataDir, postgres,
                // The declared scheduler, every second instead of every hour.
                "--jobstream.schedulers.embed-pending-posts.enabled=true",
                "--jobstream.schedulers.embed-pending-posts.pattern=* * * * * *");
        Instant t0 = Instant.now();
        try (EventPublisher events = new EventPublisher(kafka.bootstrapServers())) {
            events.publish(
                    event("post-embedding:a", "embedding", JobState.COMPLETED, t0, t0).build(),
                    event("post-embedding:c", "embedding", JobState.ACTIVE, t0, t0).build(),
                    event("post-embedding:d", "embedding", JobState.DEAD_LETTERED, t0, t0).build());
        }
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    @Test
    void statsReportCoverageOfCurrentTextsAndTheQueueInSeed000sShape() {
        Await.until(Duration.ofSeconds(30), "queue counts", () -> {
            JsonNode queue = Http.get(ingest.uri("/api/content/embeddings/stats")).body().path("queue");
            return queue.path("failed").asLong() == 1 && queue.path("completed").asLong() == 1 && queue.path("active").asLong() == 1;
        });

        JsonNode stats = Http.get(ingest.uri("/api/content/embeddings/stats")).body();

        assertThat(stats.path("success").asBoolean()).isTrue();
        JsonNode database = stats.path("database");
        assertThat(database.path("total_posts").asLong()).isEqualTo(4);
        assertThat(database.path("posts_with_embeddings").asLong()).as("c's vector is of an older text").isEqualTo(2);
        assertThat(database.path("pending").asLong()).isEqualTo(2);
        assertThat(database.path("completed").asLong()).isEqualTo(2);
        assertThat(database.path("processing").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(database.path("coverage_pct").asDouble()).isEqualTo(50.0);
        JsonNode queue = stats.path("queue");
        assertThat(queue.path("completed").asLong()).isEqualTo(1);
        assertThat(queue.path("failed").asLong()).isEqualTo(1);
        assertThat(queue.has("waiting") && queue.has("active") && queue.has("delayed") && queue.has("total")).isTrue();
    }

    @Test
    void backfillIsQueuedForTheNamedModel() {
        Http.Response response = Http.postJson(ingest.uri("/api/content/embeddings/backfill"), "{\"model\": \"text-embedding-3-small\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body().path("message").asString()).isEqualTo("Embedding backfill job queued");
        String jobId = response.body().path("jobId").asString();
        assertThat(jobId).startsWith("embedding-backfill-");
        Await.until(Duration.ofSeconds(30), "the backfill job queued", () -> Http.get(ingest.uri("/api/jobs/" + jobId)).status() == 200);
        JsonNode job = Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job");
        assertThat(job.path("type").asString()).isEqualTo("backfill-embeddings");
        assertThat(job.path("data").path("model").asString()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void theDeclaredSchedulerAddsGenerateEmbeddingsJobs() {
        Await.until(Duration.ofSeconds(30), "two scheduled embedding jobs", () -> scheduledJobs().size() >= 2);

        List<JsonNode> jobs = scheduledJobs();
        assertThat(jobs).extracting(job -> job.path("id").asString()).doesNotHaveDuplicates();
        JsonNode job = jobs.getFirst();
        assertThat(job.path("type").asString()).isEqualTo("generate-embeddings");
        assertThat(job.path("data").path("entityId").asString()).isEqualTo("pending");
        assertThat(job.path("data").path("triggeredBy").asString()).isEqualTo("schedule");
        assertThat(job.path("data").path("metadata").path("batchSize").asString()).isEqualTo("100");
    }

    private static List<JsonNode> scheduledJobs() {
        JsonNode page = Http.get(ingest.uri("/api/jobs?queue=embedding&limit=100")).body();
        return page.path("jobs").valueStream().filter(j -> j.path("id").asString().startsWith("embed-pending-posts:")).toList();
    }

    private static Post post(String id) {
        return new Post(id, null, null, "text " + id, null, null, null, null, Instant.now(), "hash-" + id, Map.of());
    }
}
