package io.jobstream.ingest.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.ingest.support.CommittedRecords;
import io.jobstream.ingest.support.CommittedRecords.Committed;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scraper webhook of an instance that requires signatures, against a real broker. */
class WebhookIngestTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Logger log = LoggerFactory.getLogger(WebhookIngestTest.class);
    private static final String SECRET = "webhook-test-secret";
    private static final String SIGNATURE = "X-Jobstream-Signature";
    private static final String PATH = "/api/content/ingest/webhook";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    private static IngestInstance ingest;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-webhook-test", dataDir, 0,
                "--jobstream.ingest.webhook.secret=" + SECRET);
        Await.until(Duration.ofSeconds(60), "the job-status store running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void threeHundredPostsArePublishedAndAnsweredWithTheirEmbeddingJobIds() {
        List<Map<String, Object>> items = IntStream.range(0, 300)
                .mapToObj(i -> item("bulk-" + i, "Post number " + i + " about founders and their deals"))
                .toList();

        long start = System.nanoTime();
        Http.Response response = signedPost(json(items));
        long answeredMillis = millisSince(start);

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.body().get("success").asBoolean()).isTrue();
        assertThat(response.body().get("accepted").asInt()).isEqualTo(300);
        assertThat(response.body().get("rejected").asInt()).isZero();
        assertThat(strings(response.body().get("jobIds")))
                .as("the ids under which the embedding processor derives each post's job")
                .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "post-embedding:bulk-" + i).toList());
        assertThat(response.body().get("errors")).isEmpty();

        // commitTransaction returns before every partition has its commit marker: wait for all to be visible.
        Await.until(Duration.ofSeconds(30), "300 committed posts", () -> posts(key -> key.startsWith("bulk-")).size() == 300);
        List<Committed<ContentIngested>> posts = posts(key -> key.startsWith("bulk-"));
        assertThat(posts).hasSize(300);
        for (Committed<ContentIngested> post : posts) {
            ContentIngested value = post.value();
            assertThat(value.getPostId()).isEqualTo(post.key());
            assertThat(value.getTextHash()).isEqualTo(TextHash.of(value.getText()));
            assertThat(value.getAuthor()).isEqualTo("founder-news");
            assertThat(value.getPublishedAt()).isEqualTo(Instant.parse("2025-10-15T18:20:00Z"));
            assertThat(value.getMetadata()).containsEntry("likes", "12");
        }
        assertThat(embeddingJobs(key -> key.startsWith("post:bulk-")))
                .as("the jobs are derived from content.posts by the embedding processor, not published here").isEmpty();
        log.info("300 posts: webhook answered in {} ms, posts read back by {} ms", answeredMillis, millisSince(start));
    }

    @Test
    void readsApifyFieldVariantsAndTheItemsWrapper() {
        String url = "https://www.instagram.com/p/Cx1/";
        Map<String, Object> instagram = new LinkedHashMap<>();
        instagram.put("postId", 9001);
        instagram.put("caption", "Shark Tank pitch recap");
        instagram.put("ownerUsername", "sharkfan");
        instagram.put("timestamp", 1_729_016_400_000L);
        instagram.put("scrapedAt", "2025-10-15T18:20:00.000Z");
        instagram.put("hashtags", List.of("sharktank", "deals"));
        instagram.put("likesCount", 42);
        instagram.put("isVideo", false);
        Map<String, Object> article = Map.of("url", url, "content", "Article body", "title", "A deal", "source", "rss",
                "publishedAt", "2025-10-14");

        Http.Response response = signedPost(json(Map.of("items", List.of(instagram, article))));

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        String derivedId = "url:" + TextHash.of(url).substring(0, 32);
        assertThat(strings(response.body().get("jobIds"))).containsExactly("post-embedding:9001", "post-embedding:" + derivedId);
        ContentIngested first = posts(key -> key.equals("9001")).getFirst().value();
        assertThat(first.getText()).isEqualTo("Shark Tank pitch recap");
        assertThat(first.getAuthor()).isEqualTo("sharkfan");
        assertThat(first.getPublishedAt()).isEqualTo(Instant.ofEpochMilli(1_729_016_400_000L));
        assertThat(first.getScrapedAt()).isEqualTo(Instant.parse("2025-10-15T18:20:00Z"));
        assertThat(first.getMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "hashtags", "[\"sharktank\",\"deals\"]", "likesCount", "42", "isVideo", "false"));
        ContentIngested second = posts(key -> key.equals(derivedId)).getFirst().value();
        assertThat(second.getUrl()).isEqualTo(url);
        assertThat(second.getTitle()).isEqualTo("A deal");
        assertThat(second.getSource()).isEqualTo("rss");
        assertThat(second.getPublishedAt()).isEqualTo(Instant.parse("2025-10-14T00:00:00Z"));
        assertThat(second.getMetadata()).isEmpty();
    }

    @Test
    void mixedItemsAreReportedOneByOneAndOnlyValidOnesPublished() {
        List<Object> items = new ArrayList<>();
        items.add(item("mixed-ok-1", "valid"));
        items.add(Map.of("id", "mixed-no-text", "title", "no text at all"));
        items.add(Map.of("id", "mixed-bad-date", "text", "t", "timestamp", "yesterday"));
        items.add(42);
        items.add(item("mixed-ok-1", "same id again"));
        items.add(Map.of("id", "mixed-blank", "text", "   "));
        items.add(Map.of("id", "a/b", "text", "slash"));
        items.add(Map.of("id", "mixed-huge", "text", "x".repeat(100 * 1024 + 1)));
        items.add(Map.of("title", "neither id nor url", "text", "t"));
        items.add(item("mixed-ok-2", "also valid"));

        Http.Response response = signedPost(json(items));

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.body().get("success").asBoolean()).isTrue();
        assertThat(response.body().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.body().get("rejected").asInt()).isEqualTo(8);
        assertThat(strings(response.body().get("jobIds"))).containsExactly("post-embedding:mixed-ok-1", "post-embedding:mixed-ok-2");
        assertThat(errors(response)).containsExactly(
                "1|mixed-no-text|text|is required (text, content or caption)",
                "2|mixed-bad-date|timestamp|must be an ISO-8601 date-time or epoch milliseconds",
                "3|-|item|must be a JSON object",
                "4|mixed-ok-1|id|duplicate of item 0",
                "5|mixed-blank|text|must be non-blank text",
                "6|-|id|must not contain '/' (job ids are read back at /api/jobs/{id})",
                "7|mixed-huge|text|must be at most 100 KB of UTF-8",
                "8|-|id|is required: give id, postId or url");
        assertThat(posts(key -> key.startsWith("mixed-")).stream().map(Committed::key))
                .containsExactlyInAnyOrder("mixed-ok-1", "mixed-ok-2");
    }

    @Test
    void malformedJsonIs400AndPublishesNothing() {
        Http.Response response = assertPublishesNothing(() -> signedPost("[{\"id\": \"broken\", \"text\": "));

        assertError(response, 400, "body", "is not valid JSON");
    }

    @Test
    void bodyThatIsNeitherAnArrayNorAnItemsObjectIs400() {
        assertError(signedPost("{\"id\": \"x\", \"text\": \"t\"}"), 400, "items", "must be a JSON array");
        assertError(signedPost("\"text\""), 400, "body", "must be a JSON array");
        assertError(signedPost("[]"), 400, "body", "at least one item");
        assertError(signedPost("[1] [2]"), 400, "body", "is not valid JSON");
    }

    @Test
    void itemsWithoutTextAre422AndPublishNothing() {
        String body = json(List.of(Map.of("id", "no-text-1"), Map.of("id", "no-text-2", "title", "only a title")));

        Http.Response response = assertPublishesNothing(() -> signedPost(body));

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("accepted").asInt()).isZero();
        assertThat(response.body().get("rejected").asInt()).isEqualTo(2);
        assertThat(response.body().get("jobIds")).isEmpty();
        assertThat(errors(response)).containsExactly(
                "0|no-text-1|text|is required (text, content or caption)",
                "1|no-text-2|text|is required (text, content or caption)");
    }

    @Test
    void tenMegabyteBodyIs413WithoutBeingRead() {
        byte[] tenMegabytes = tenMegabyteJson();
        String signature = sign(tenMegabytes);
        long[] declaredMillis = new long[1];

        Http.Response declared = assertPublishesNothing(() -> {
            long start = System.nanoTime();
            Http.Response response = Http.post(uri(), BodyPublishers.ofByteArray(tenMegabytes),
                    "Content-Type", "application/json", SIGNATURE, signature);
            declaredMillis[0] = millisSince(start);
            return response;
        });
        // Without Content-Length (chunked) the limit is enforced while reading.
        Http.Response chunked = assertPublishesNothing(() -> Http.post(uri(),
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tenMegabytes)),
                "Content-Type", "application/json", SIGNATURE, signature));
        // A client that waits for 100 Continue is refused before it sends a byte of the body.
        CountingPublisher counted = new CountingPublisher(tenMegabytes);
        Http.Response expecting = assertPublishesNothing(() -> Http.send(HttpRequest.newBuilder(uri())
                .timeout(Duration.ofSeconds(30))
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .header(SIGNATURE, signature)
                .POST(counted)
                .build()));

        assertError(declared, 413, "body", "must be at most 5242880 bytes");
        assertError(chunked, 413, "body", "must be at most 5242880 bytes");
        assertError(expecting, 413, "body", "must be at most 5242880 bytes");
        assertThat(counted.subscribed()).as("body never requested").isFalse();
        log.info("10 MB body with Content-Length refused in {} ms", declaredMillis[0]);
    }

    @Test
    void contentTypeOtherThanJsonIs415() {
        byte[] body = json(List.of(item("typed", "t"))).getBytes(StandardCharsets.UTF_8);

        Http.Response text = assertPublishesNothing(() -> Http.post(uri(), BodyPublishers.ofByteArray(body),
                "Content-Type", "text/plain", SIGNATURE, sign(body)));
        Http.Response none = Http.post(uri(), BodyPublishers.ofByteArray(body), SIGNATURE, sign(body));
        Http.Response vendorJson = Http.post(uri(), BodyPublishers.ofByteArray(body),
                "Content-Type", "application/vnd.apify+json; charset=utf-8", SIGNATURE, sign(body));

        assertError(text, 415, "Content-Type", "must be application/json");
        assertError(none, 415, "Content-Type", "is required");
        assertThat(vendorJson.status()).as(vendorJson.toString()).isEqualTo(202);
    }

    @Test
    void missingOrWrongSignatureIs401AndPublishesNothing() {
        String body = json(List.of(item("unsigned", "must not be published")));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        Http.Response missing = assertPublishesNothing(() -> post(body));
        Http.Response wrong = assertPublishesNothing(() -> post(body, SIGNATURE, sign("other body".getBytes(StandardCharsets.UTF_8))));
        Http.Response otherSecret = assertPublishesNothing(() -> post(body, SIGNATURE, "sha256=" + hmac("not-the-secret", bytes)));
        Http.Response notHex = assertPublishesNothing(() -> post(body, SIGNATURE, "sha256=zz"));
        Http.Response noPrefix = assertPublishesNothing(() -> post(body, SIGNATURE, hmac(SECRET, bytes)));

        assertError(missing, 401, SIGNATURE, "is required");
        assertError(wrong, 401, SIGNATURE, "does not match the body");
        assertError(otherSecret, 401, SIGNATURE, "does not match the body");
        assertError(notHex, 401, SIGNATURE, "must be sha256=<hex");
        assertError(noPrefix, 401, SIGNATURE, "must be sha256=<hex");
    }

    @Test
    void correctSignatureIsAccepted() {
        String body = json(List.of(item("signed-ok", "signed text")));

        Http.Response response = post(body, SIGNATURE, sign(body.getBytes(StandardCharsets.UTF_8)).toUpperCase().replace("SHA256=", "sha256="));

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(posts(key -> key.equals("signed-ok"))).hasSize(1);
    }

    @Test
    void repostingWhileTheEmbeddingJobIsUnfinishedReportsThatJob() {
        Http.Response first = signedPost(json(List.of(item("repost", "first version"))));
        assertThat(first.status()).isEqualTo(202);
        // The QUEUED event the embedding processor publishes when it derives the post's job.
        JobMetadata job = new JobMetadata("post-embedding:repost", "post-embedding", 1, 3, Instant.now(), null, null, 2);
        try (JobPublisher processor = new JobPublisher(kafka.bootstrapServers(), "webhook-test-processor", 1)) {
            processor.inTransaction(batch -> batch.publish(TopicCatalog.JOB_EVENTS, job.jobId(),
                    JobEvents.queued(TopicCatalog.EMBEDDING.queue(), job, "{}", Instant.now())));
        }
        Await.until(Duration.ofSeconds(30), "the first job QUEUED", () -> "QUEUED".equals(stateOf("post-embedding:repost")));

        Http.Response second = signedPost(json(List.of(item("repost", "second version"))));

        assertThat(second.status()).as(second.toString()).isEqualTo(202);
        assertThat(strings(second.body().get("jobIds"))).containsExactly("post-embedding:repost");
        assertThat(strings(second.body().get("duplicates"))).containsExactly("post-embedding:repost");
        assertThat(posts(key -> key.equals("repost")).stream().map(post -> post.value().getText()))
                .as("the post itself is updated").containsExactly("first version", "second version");
    }

    /**
     * Runs a request that must publish nothing, then a signed sentinel post. Transactions are
     * committed before the webhook answers, so once the sentinel is readable anything the first
     * request had published would be too: content.posts must have grown by the sentinel alone, and
     * the job topics not at all (jobs are derived by the embedding processor, which is not running).
     */
    private static Http.Response assertPublishesNothing(Supplier<Http.Response> request) {
        Map<String, Long> before = publishedCounts();

        Http.Response response = request.get();

        String sentinel = "sentinel-" + UUID.randomUUID();
        assertThat(signedPost(json(List.of(item(sentinel, "sentinel")))).status()).isEqualTo(202);
        Await.until(Duration.ofSeconds(30), "the sentinel post", () -> posts(key -> key.equals(sentinel)).size() == 1);
        Map<String, Long> after = publishedCounts();
        before.forEach((topic, count) -> assertThat(after.get(topic)).as(topic)
                .isEqualTo(topic.equals(TopicCatalog.CONTENT_POSTS) ? count + 1 : count));
        return response;
    }

    /** Records on content.posts and on the job topics a webhook request must not write to. */
    private static Map<String, Long> publishedCounts() {
        String[] topics = {TopicCatalog.CONTENT_POSTS, TopicCatalog.EMBEDDING.requests(), TopicCatalog.JOB_EVENTS};
        Map<String, Long> counts = new TreeMap<>(CommittedRecords.counts(kafka.bootstrapServers(), topics));
        for (String topic : topics) {
            counts.putIfAbsent(topic, 0L);
        }
        return counts;
    }

    private static void assertError(Http.Response response, int status, String field, String reason) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("message").asString()).isNotBlank();
        assertThat(response.body().get("error").get("field").asString()).isEqualTo(field);
        assertThat(response.body().get("error").get("reason").asString()).contains(reason);
    }

    /** A body publisher that records whether the client ever started sending it. */
    private static final class CountingPublisher implements HttpRequest.BodyPublisher {

        private final HttpRequest.BodyPublisher body;
        private final AtomicBoolean subscribed = new AtomicBoolean();

        CountingPublisher(byte[] bytes) {
            this.body = BodyPublishers.ofByteArray(bytes);
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscribed.set(true);
            body.subscribe(subscriber);
        }

        boolean subscribed() {
            return subscribed.get();
        }
    }

    private static Map<String, Object> item(String id, String text) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("text", text);
        item.put("url", "https://example.com/posts/" + id);
        item.put("author", "founder-news");
        item.put("timestamp", "2025-10-15T18:20:00Z");
        item.put("likes", 12);
        return item;
    }

    private static byte[] tenMegabyteJson() {
        String text = "x".repeat(1000);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; body.length() < 10 * 1024 * 1024; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"big-").append(i).append("\",\"text\":\"").append(text).append("\"}");
        }
        return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Http.Response signedPost(String body) {
        return post(body, SIGNATURE, sign(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Http.Response post(String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
        all.addAll(List.of(headers));
        return Http.post(uri(), BodyPublishers.ofString(body), all.toArray(String[]::new));
    }

    private static String sign(byte[] body) {
        return "sha256=" + hmac(SECRET, body);
    }

    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI uri() {
        return ingest.uri(PATH);
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static List<Committed<ContentIngested>> posts(Predicate<String> keys) {
        return CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.CONTENT_POSTS, ContentIngested.class, keys);
    }

    private static List<Committed<EmbeddingRequested>> embeddingJobs(Predicate<String> keys) {
        return CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests(), EmbeddingRequested.class, keys);
    }

    private static String stateOf(String jobId) {
        Http.Response response = Http.get(ingest.uri("/api/jobs/" + jobId));
        return response.status() == 200 ? response.body().get("job").get("state").asString() : "";
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
    }

    /** index|postId|field|reason, with '-' for an absent post id. */
    private static List<String> errors(Http.Response response) {
        return StreamSupport.stream(response.body().get("errors").spliterator(), false)
                .map(e -> e.get("index").asInt() + "|" + (e.has("postId") ? e.get("postId").asString() : "-") + "|"
                        + e.get("field").asString() + "|" + e.get("reason").asString())
                .toList();
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
