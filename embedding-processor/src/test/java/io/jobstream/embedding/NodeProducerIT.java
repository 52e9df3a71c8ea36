package io.jobstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Node.js producer (kafkajs + avsc, scripts/node-producer) publishes posts to content.posts and a
 * job straight to the embedding queue. Only the embedding processor runs: no ingest-service, so no
 * webhook call and no schedule. Each post's job is derived from the topic and the post becomes
 * searchable; the direct job completes; records the producer gets wrong are dead-lettered and
 * processing goes on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeProducerIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Logger log = LoggerFactory.getLogger(NodeProducerIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();
    private static final Deserializer<EmbeddingRequested> REQUESTS = AvroSerde.of(EmbeddingRequested.class).deserializer();
    private static final byte[] GARBAGE = "not avro at all".getBytes(StandardCharsets.UTF_8);

    /** Post id → text, and a paraphrase that should find it first. */
    private static final Map<String, String[]> POSTS = new LinkedHashMap<>();

    static {
        POSTS.put("np-1", new String[] {"Sourdough bread needs a long, slow fermentation of the starter before it is baked.",
                "how do I bake sourdough bread"});
        POSTS.put("np-2", new String[] {"The electric car's battery charges to eighty percent in twenty minutes at a fast charger.",
                "fast charging an EV battery"});
        POSTS.put("np-3", new String[] {"Our startup raised a seed round from angel investors to hire its first engineers.",
                "startup funding from angel investors"});
        POSTS.put("np-4", new String[] {"Regular stretching and strength training reduce lower back pain.",
                "exercises against back pain"});
        POSTS.put("np-5", new String[] {"The lighthouse keeper watched ships pass the rocky coast during the storm.",
                "lighthouse on a stormy coast"});
    }

    @TempDir
    static Path dataDir;

    static Path producer;
    static EmbeddingProcessorInstance processor;
    static JdbcTemplate jdbc;
    static TopicTail events;
    static TopicTail requests;
    static TopicTail queueDeadLetters;
    static TopicTail sharedDeadLetters;

    @BeforeAll
    static void start() {
        producer = nodeProducer();
        processor = EmbeddingProcessorInstance.start(kafka, postgres, dataDir);
        jdbc = new JdbcTemplate(postgres.dataSource());
        events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
        requests = new TopicTail(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests());
        queueDeadLetters = new TopicTail(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.deadLetters());
        sharedDeadLetters = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOBS_DEAD_LETTERS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (TopicTail tail : new TopicTail[] {events, requests, queueDeadLetters, sharedDeadLetters}) {
            if (tail != null) {
                tail.close();
            }
        }
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    @Order(1)
    void postsTheNodeProducerPublishesAreEmbeddedAndSearchableWithoutAWebhookOrASchedule() throws Exception {
        List<String> lines = new ArrayList<>();
        POSTS.forEach((id, post) -> lines.add(post(id, post[0], TextHash.of(post[0]))));

        long start = System.nanoTime();
        node(TopicCatalog.CONTENT_POSTS, "ContentIngested", lines);
        for (Map.Entry<String, String[]> post : POSTS.entrySet()) {
            Await.until(WAIT, post.getKey() + " found by a search for '" + post.getValue()[1] + "'",
                    () -> post.getKey().equals(topHit(post.getValue()[1])));
        }
        long searchableMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        log.info("5 posts from the Node producer searchable in {} ms after the producer started", searchableMillis);

        POSTS.forEach((id, post) -> assertThat(jdbc.queryForObject(
                "SELECT content_hash FROM embeddings WHERE entity_type = 'post' AND entity_id = ?", String.class, id))
                .as(id).isEqualTo(TextHash.of(post[0])));
        for (String id : POSTS.keySet()) {
            ConsumerRecord<String, byte[]> job = derivedJobs(id).getFirst();
            assertThat(job.key()).isEqualTo("post:" + id);
            assertThat(header(job, JobHeaders.JOB_ID)).isEqualTo("post-embedding:" + id);
            assertThat(header(job, JobHeaders.JOB_TYPE)).isEqualTo("post-embedding");
            assertThat(header(job, JobHeaders.ENQUEUED_AT)).isNotBlank();
            EmbeddingRequested request = REQUESTS.deserialize(job.topic(), job.value());
            assertThat(request.getText()).isEqualTo(POSTS.get(id)[0]);
            assertThat(request.getTriggeredBy()).isEqualTo(TopicCatalog.CONTENT_POSTS);
            Await.until(WAIT, id + "'s job COMPLETED", () -> states("post-embedding:" + id).contains(JobState.COMPLETED));
            JsonNode data = JSON.readTree(event("post-embedding:" + id, JobState.QUEUED).getData());
            assertThat(data.path("entityId").asString()).isEqualTo(id);
            assertThat(data.path("textHash").asString()).isEqualTo(TextHash.of(POSTS.get(id)[0]));
            assertThat(data.has("text")).as("the status store keeps the hash, not the text").isFalse();
        }
    }

    @Test
    @Order(2)
    void aJobSentStraightToTheQueueWithoutHeadersCompletes() throws Exception {
        node(TopicCatalog.EMBEDDING.requests(), "EmbeddingRequested",
                List.of(directJob("direct-1", "Trail running shoes with a grippy sole, size 42")));

        Await.until(WAIT, "direct-1 COMPLETED", () -> states("direct-1").contains(JobState.COMPLETED));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE entity_type = 'product' AND entity_id = 'direct-1'",
                Long.class)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void recordsTheProducerGetsWrongAreDeadLetteredWithAReasonAndProcessingGoesOn() throws Exception {
        String text = "A kayak trip along the fjord at sunrise, with seals on the rocks.";
        // The valid records follow the bad ones under the same keys, so on the same partitions.
        node(TopicCatalog.CONTENT_POSTS, "ContentIngested", List.of(
                raw("np-after", GARBAGE),
                post("np-wrong-hash", "Any text", TextHash.of("other text")),
                post("np-after", text, TextHash.of(text))));
        node(TopicCatalog.EMBEDDING.requests(), "EmbeddingRequested", List.of(
                raw("direct-2", GARBAGE),
                directJob("direct-2", "A waterproof jacket for hiking in the rain")));

        Await.until(WAIT, "np-after embedded", () -> jdbc.queryForObject(
                "SELECT count(*) FROM embeddings WHERE entity_id = 'np-after'", Long.class) == 1);
        Await.until(WAIT, "direct-2 COMPLETED", () -> states("direct-2").contains(JobState.COMPLETED));
        Await.until(WAIT, "the garbage job dead-lettered", () -> queueDeadLetters.records().size() == 1);
        // content.posts has two readers, the embedding job derivation and the table copy: each dead-letters
        // the garbage post under its own step, so no reader loses it silently.
        Await.until(WAIT, "the garbage post (by both readers) and the wrong hash dead-lettered",
                () -> sharedDeadLetters.records().size() == 3);
        assertThat(sharedDeadLetters.records().stream().filter(letter -> "np-after".equals(letter.key())))
                .extracting(letter -> header(letter, DeadLetterHeaders.STEP)).doesNotHaveDuplicates().hasSize(2);

        ConsumerRecord<String, byte[]> job = queueDeadLetters.records().getFirst();
        assertThat(job.key()).isEqualTo("direct-2");
        assertThat(job.value()).isEqualTo(GARBAGE);
        assertThat(header(job, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TopicCatalog.EMBEDDING.requests());
        assertThat(header(job, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("not a readable io.jobstream.events.EmbeddingRequested");
        ConsumerRecord<String, byte[]> post = deadLetter("np-after");
        assertThat(post.value()).isEqualTo(GARBAGE);
        assertThat(header(post, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TopicCatalog.CONTENT_POSTS);
        assertThat(header(post, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("not a readable io.jobstream.events.ContentIngested");
        ConsumerRecord<String, byte[]> wrongHash = deadLetter("np-wrong-hash");
        assertThat(header(wrongHash, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(header(wrongHash, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("textHash of post np-wrong-hash");
        assertThat(derivedJobs("np-wrong-hash")).isEmpty();
    }

    @Test
    @Order(4)
    void republishingTheSameTextDerivesNoJobAndChangedTextDoes() throws Exception {
        String same = POSTS.get("np-1")[0];
        String changed = "Sourdough bread is best eaten a day after baking, once the crumb has set.";
        // One key, one partition: the unchanged post is processed before the changed one.
        node(TopicCatalog.CONTENT_POSTS, "ContentIngested", List.of(
                post("np-1", same, TextHash.of(same)),
                post("np-1", changed, TextHash.of(changed))));

        Await.until(WAIT, "np-1 re-embedded with the changed text", () -> TextHash.of(changed).equals(jdbc.queryForObject(
                "SELECT content_hash FROM embeddings WHERE entity_type = 'post' AND entity_id = 'np-1'", String.class)));
        Await.until(WAIT, "the second run of np-1 COMPLETED", () -> states("post-embedding:np-1").stream()
                .filter(JobState.COMPLETED::equals).count() == 2);

        assertThat(states("post-embedding:np-1").stream().filter(JobState.QUEUED::equals).count())
                .as("QUEUED: the first post and the changed text, none for the unchanged republish").isEqualTo(2);
        List<ConsumerRecord<String, byte[]>> jobs = derivedJobs("np-1");
        assertThat(jobs).hasSize(2);
        EmbeddingRequested second = REQUESTS.deserialize(jobs.get(1).topic(), jobs.get(1).value());
        assertThat(second.getTextHash()).isEqualTo(TextHash.of(changed));
        assertThat(second.getPreviousTextHash()).isEqualTo(TextHash.of(same));
    }

    /** Runs the Node producer with one JSON line per record on its stdin. */
    private static void node(String topic, String schema, List<String> lines) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("node", producer.toString(), "--brokers", kafka.bootstrapServers(),
                    "--topic", topic, "--schema", schema)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): run scripts/setup-dev.sh", e);
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        }
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited && process.exitValue() == 0).as("node produce.js: " + output).isTrue();
        log.info("node producer: {}", output);
    }

    /** scripts/node-producer/produce.js of this repository, with its packages installed. */
    private static Path nodeProducer() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/node-producer/produce.js"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("no scripts/node-producer/produce.js above " + Path.of("").toAbsolutePath()).isNotNull();
        Path producerDir = dir.resolve("scripts/node-producer");
        assertThat(producerDir.resolve("node_modules/kafkajs")).as("the Node producer's packages are not installed: "
                + "run scripts/setup-dev.sh").exists();
        return producerDir.resolve("produce.js");
    }

    private static String post(String id, String text, String textHash) {
        return line(id, Map.of("postId", id, "text", text, "textHash", textHash, "source", "node-producer",
                "ingestedAt", System.currentTimeMillis()));
    }

    private static String directJob(String key, String text) {
        return line(key, Map.of("jobId", key, "entityType", "product", "entityId", key, "text", text));
    }

    private static String line(String key, Map<String, Object> value) {
        return JSON.writeValueAsString(Map.of("key", key, "value", value));
    }

    private static String raw(String key, byte[] bytes) {
        return JSON.writeValueAsString(Map.of("key", key, "rawBase64", Base64.getEncoder().encodeToString(bytes)));
    }

    private static String topHit(String query) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(processor.uri("/api/content/search?q="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&k=1&entityType=post")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode first = JSON.readTree(response.body()).path("results").path(0);
            return first.path("entityId").asString();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The jobs the processor derived for a post, in order (the producer's own records carry no headers). */
    private static List<ConsumerRecord<String, byte[]>> derivedJobs(String postId) {
        return requests.records().stream()
                .filter(r -> ("post:" + postId).equals(r.key()) && r.headers().lastHeader(JobHeaders.JOB_ID) != null)
                .toList();
    }

    private static List<JobState> states(String jobId) {
        return events.records().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> EVENTS.deserialize(r.topic(), r.value()).getState()).toList();
    }

    private static JobEvent event(String jobId, JobState state) {
        return events.records().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> EVENTS.deserialize(r.topic(), r.value())).filter(e -> e.getState() == state).findFirst().orElseThrow();
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        return sharedDeadLetters.records().stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return JobHeaders.text(record.headers(), name).orElse(null);
    }
}
