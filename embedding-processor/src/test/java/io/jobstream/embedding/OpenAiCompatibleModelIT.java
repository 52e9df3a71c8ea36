package io.jobstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.jobs.EmbeddingJobTypes;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.topics.TopicCatalog;

/**
 * A second model served by an OpenAI-compatible server (faked at the HTTP level): backfill by
 * replay writes a second set of vectors beside the bundled model's, and the provider's 429 with
 * Retry-After decides when the job runs again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiCompatibleModelIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final String LOCAL = "all-minilm-l6-v2-q";
    private static final String REMOTE = "fake-embed-64";
    private static final int POSTS = 30;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();

    @TempDir
    static Path dataDir;

    static FakeOpenAiServer openAi;
    static EmbeddingProcessorInstance processor;
    static JobPublisher publisher;
    static TopicTail events;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        openAi = new FakeOpenAiServer(64, true);
        processor = EmbeddingProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.embedding.provider=local",
                "--jobstream.embedding.openai.api-key=test-key",
                "--jobstream.embedding.openai.base-url=" + openAi.baseUrl(),
                "--jobstream.embedding.openai.model=" + REMOTE,
                "--jobstream.embedding.openai.dimensions=64");
        publisher = new JobPublisher(kafka.bootstrapServers(), "openai-model-test", 1);
        events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
        jdbc = new JdbcTemplate(postgres.dataSource());
        publisher.inTransaction(batch -> {
            for (int i = 0; i < POSTS; i++) {
                String id = "post-" + i;
                String text = SyntheticPosts.text(i);
                String hash = TextHash.of(text);
                batch.publish(TopicCatalog.CONTENT_POSTS, id, ContentIngested.newBuilder()
                        .setPostId(id).setText(text).setTextHash(hash).setIngestedAt(Instant.now()).build());
                batch.submit(TopicCatalog.EMBEDDING, JobSubmission.of("post-embedding:" + id, "post-embedding",
                        EmbeddingRequested.newBuilder().setJobId("post-embedding:" + id).setEntityType("post")
                                .setEntityId(id).setText(text).setTextHash(hash).build()).withKey("post:" + id));
            }
        });
        Await.until(WAIT, "the bundled model's vectors", () -> rows(LOCAL) == POSTS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        events.close();
        publisher.close();
        processor.close();
        openAi.close();
    }

    @Test
    @Order(1)
    void backfillWithASecondModelAddsItsVectorsAndKeepsTheFirst() {
        JobEvent done = backfill("backfill-1");

        assertThat(done.getReturnValue()).contains("\"embedded\": " + POSTS);
        assertThat(rows(REMOTE)).isEqualTo(POSTS);
        assertThat(rows(LOCAL)).isEqualTo(POSTS);
        assertThat(jdbc.queryForObject("SELECT DISTINCT dimensions FROM embeddings WHERE model = ?", Integer.class, REMOTE))
                .isEqualTo(64);
        assertThat(history("backfill-1")).anyMatch(e -> e.getState() == JobState.PROGRESS && e.getStep() != null
                && e.getStep().startsWith("replayed "));
    }

    @Test
    @Order(2)
    void aSecondBackfillOfTheSameModelFindsNothingToDo() {
        int requestsBefore = openAi.requests().size();

        JobEvent done = backfill("backfill-2");

        assertThat(done.getReturnValue()).contains("\"embedded\": 0").contains("\"skipped\": " + POSTS);
        assertThat(openAi.requests()).hasSize(requestsBefore);
    }

    @Test
    @Order(3)
    void aRateLimitedCallIsRetriedNoEarlierThanTheProvidersRetryAfter() {
        openAi.enqueue(FakeOpenAiServer.Reply.error(429, "rate_limit_exceeded", "Rate limit reached", Map.of("Retry-After", "2")));
        publisher.submit(TopicCatalog.EMBEDDING, JobSubmission.of("product-embedding:p-1", "product-embedding",
                EmbeddingRequested.newBuilder().setJobId("product-embedding:p-1").setEntityType("product").setEntityId("p-1")
                        .setText("Trail running shoes with a wide toe box").setModel(REMOTE).build()).withKey("product:p-1"));

        Await.until(WAIT, "the product job completed", () -> history("product-embedding:p-1").stream()
                .anyMatch(e -> e.getState() == JobState.COMPLETED));

        List<JobEvent> history = history("product-embedding:p-1");
        JobEvent retry = history.stream().filter(e -> e.getState() == JobState.RETRY_SCHEDULED).findFirst().orElseThrow();
        assertThat(retry.getDueAt().toEpochMilli() - retry.getTimestamp().toEpochMilli()).isEqualTo(2_000);
        // The second attempt's start: its ACTIVE, or its completion telling it when it ended before it was announced.
        Instant secondStart = history.stream().filter(e -> e.getAttempt() == 2).map(JobEvents::startOf).filter(Objects::nonNull)
                .findFirst().orElseThrow();
        assertThat(secondStart).isAfterOrEqualTo(retry.getDueAt());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE entity_id = 'p-1' AND model = ?", Long.class, REMOTE))
                .isEqualTo(1);
    }

    private static JobEvent backfill(String jobId) {
        publisher.submit(TopicCatalog.EMBEDDING, JobSubmission.of(jobId, EmbeddingJobTypes.BACKFILL,
                EmbeddingRequested.newBuilder().setJobId(jobId).setEntityType("post").setEntityId("*all*").setModel(REMOTE).build()));
        Await.until(WAIT, jobId + " completed", () -> history(jobId).stream().anyMatch(e -> e.getState() == JobState.COMPLETED));
        return history(jobId).stream().filter(e -> e.getState() == JobState.COMPLETED).findFirst().orElseThrow();
    }

    private static List<JobEvent> history(String jobId) {
        return events.records().stream().filter(r -> jobId.equals(r.key())).map(r -> EVENTS.deserialize(r.topic(), r.value())).toList();
    }

    private static long rows(String model) {
        return jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE model = ?", Long.class, model);
    }
}
