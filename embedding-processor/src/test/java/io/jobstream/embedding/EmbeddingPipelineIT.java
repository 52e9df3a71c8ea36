package io.jobstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

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
import io.jobstream.core.job.JobPublisher;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.store.PostRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts published as the webhook publishes them (content.posts alone, one transaction; the
 * processor derives each post's embedding job) become vectors of the real bundled MiniLM model in
 * pgvector.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddingPipelineIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final String MODEL = "all-minilm-l6-v2-q";
    private static final int POSTS = 300;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Deserializer<EmbeddingStored> STORED = AvroSerde.of(EmbeddingStored.class).deserializer();

    @TempDir
    static Path dataDir;

    static EmbeddingProcessorInstance processor;
    static JobPublisher publisher;
    static JdbcTemplate jdbc;
    static TopicTail stored;

    @BeforeAll
    static void start() {
        processor = EmbeddingProcessorInstance.start(kafka, postgres, dataDir);
        publisher = new JobPublisher(kafka.bootstrapServers(), "embedding-pipeline-test", 2);
        stored = new TopicTail(kafka.bootstrapServers(), TopicCatalog.EMBEDDINGS_STORED);
        jdbc = new JdbcTemplate(postgres.dataSource());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stored.close();
        publisher.close();
        processor.close();
    }

    @Test
    @Order(1)
    void threeHundredPostsBecomeThreeHundredVectorsWithModelAndHash() {
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            posts.add(new Post("post-" + i, SyntheticPosts.text(i)));
        }
        publish(posts);

        Await.until(WAIT, POSTS + " vectors", () -> rows() == POSTS);
        Await.until(WAIT, "the posts copy", () -> coverage().totalPosts() == POSTS);

        assertThat(jdbc.queryForObject("SELECT count(DISTINCT entity_id) FROM embeddings WHERE model = ? AND dimensions = 384",
                Long.class, MODEL)).isEqualTo(POSTS);
        assertThat(jdbc.queryForObject("SELECT content_hash FROM embeddings WHERE entity_id = 'post-7'", String.class))
                .isEqualTo(TextHash.of(SyntheticPosts.text(7)));
        assertThat(coverage().coveragePercent()).isEqualTo(100.0);
    }

    @Test
    @Order(2)
    void republishingUnchangedPostsDerivesNoJobsAndEditingOneReembedsOnlyIt() {
        Map<String, Object> before = updatedAt();
        List<Post> again = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            again.add(new Post("post-" + i, SyntheticPosts.text(i)));
        }
        again.set(5, new Post("post-5", "An entirely rewritten post about sourdough bread and long fermentation."));
        publish(again);

        Await.until(WAIT, "post-5 re-embedded", () -> !updatedAt().get("post-5").equals(before.get("post-5")));
        Await.until(WAIT, "post-5's second job reported", () -> storedCount("post-5") == 2);
        IntStream.range(0, 20).filter(i -> i != 5).mapToObj(i -> "post-" + i)
                .forEach(id -> assertThat(storedCount(id)).as(id + ": no second job for unchanged text").isEqualTo(1));
        Map<String, Object> after = updatedAt();
        after.keySet().stream().filter(id -> !id.equals("post-5"))
                .forEach(id -> assertThat(after.get(id)).as(id).isEqualTo(before.get(id)));
        assertThat(rows()).isEqualTo(POSTS);
    }

    @Test
    @Order(3)
    void aParaphrasedQueryFindsTheIntendedPostFirst() throws Exception {
        publish(List.of(new Post("post-target",
                "Step by step instructions for recovering a forgotten account password using the email reset link.")));
        Await.until(WAIT, "the target post embedded", () -> jdbc.queryForObject(
                "SELECT count(*) FROM embeddings WHERE entity_id = 'post-target'", Long.class) == 1);

        JsonNode answer = get("/api/content/search?q=" + URLEncoder.encode("how do I reset my password", StandardCharsets.UTF_8)
                + "&k=3&entityType=post");

        assertThat(answer.path("success").asBoolean()).isTrue();
        assertThat(answer.path("model").asString()).isEqualTo(MODEL);
        JsonNode first = answer.path("results").get(0);
        assertThat(first.path("entityId").asString()).isEqualTo("post-target");
        assertThat(first.path("similarity").asDouble()).isGreaterThan(answer.path("results").get(1).path("similarity").asDouble());
    }

    @Test
    @Order(4)
    void searchRejectsBadInputNamingTheField() throws Exception {
        assertThat(status("/api/content/search")).isEqualTo(400);
        assertThat(status("/api/content/search?q=x&k=0")).isEqualTo(400);
        assertThat(status("/api/content/search?q=x&k=abc")).isEqualTo(400);
        assertThat(status("/api/content/search?q=x&model=nope")).isEqualTo(400);
        assertThat(get("/api/content/search?q=x&k=abc").path("error").path("field").asString()).isEqualTo("k");
    }

    @Test
    @Order(5)
    void theServiceDescribesItsRoutesAndExposesItsJobMetrics() throws Exception {
        assertThat(get("/v3/api-docs").path("paths").path("/api/content/search").has("get")).isTrue();
        String scrape = HTTP.send(HttpRequest.newBuilder(processor.uri("/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // The posts of the tests above went through the embedding queue's worker.
        assertThat(scrape.lines().filter(line -> line.startsWith("jobstream_jobs_completed_total{")
                && line.contains("queue=\"embedding\""))).isNotEmpty();
        assertThat(scrape).contains("jobstream_jobs_processing_percentile_seconds{", "kafka_stream_thread_process_ratio");
        // The content_posts copy's listener container observes the records it copied.
        assertThat(scrape.lines().filter(line -> line.startsWith("spring_kafka_listener_seconds_count{")
                && line.contains("post-table-copy"))).as(scrape).isNotEmpty();
    }

    private record Post(String id, String text) {
    }

    private static void publish(List<Post> posts) {
        publisher.inTransaction(batch -> posts.forEach(post -> batch.publish(TopicCatalog.CONTENT_POSTS, post.id(),
                ContentIngested.newBuilder().setPostId(post.id()).setText(post.text()).setTextHash(TextHash.of(post.text()))
                        .setIngestedAt(Instant.now()).build())));
    }

    private static long storedCount(String postId) {
        return stored.values(bytes -> STORED.deserialize("", bytes)).stream()
                .filter(s -> s.getEntityId().equals(postId)).count();
    }

    private static long rows() {
        return jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE model = ?", Long.class, MODEL);
    }

    private static PostRepository.PostCoverage coverage() {
        return new PostRepository(postgres.dataSource()).coverage(MODEL);
    }

    private static Map<String, Object> updatedAt() {
        Map<String, Object> times = new HashMap<>();
        jdbc.query("SELECT entity_id, updated_at FROM embeddings WHERE entity_id IN ("
                + String.join(",", IntStream.range(0, 20).mapToObj(i -> "'post-" + i + "'").toList()) + ")",
                rs -> {
                    times.put(rs.getString(1), rs.getTimestamp(2));
                });
        return times;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(processor.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static int status(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(processor.uri(path)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
