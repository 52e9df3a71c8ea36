package io.jobstream.ingest.curl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.curl.CurlProcessorInstance;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.ingest.support.ServerSentEvents;
import io.jobstream.ingest.support.ServerSentEvents.Event;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.SearchHit;
import io.jobstream.test.ApiPageScreenshots;
import io.jobstream.test.ApiPageScreenshots.Endpoint;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import tools.jackson.databind.JsonNode;

/**
 * Seed 003 end to end: screenshots posted to ingest-service, the real curl-processor (Tesseract,
 * MiniLM) behind it on a real broker and PostgreSQL, resources and embeddings in the database, and
 * the seed's progress events on the job's stream.
 */
class CurlFlowIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int MAX_SIZE = 1024 * 1024;
    private static final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    static Path processorDir;

    @TempDir
    static Path ingestDir;

    static CurlProcessorInstance processor;
    static IngestInstance ingest;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        // The processor migrates the content database, as it does in production.
        processor = CurlProcessorInstance.start(kafka, postgres, processorDir);
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-curl-test", ingestDir, postgres,
                "--jobstream.ingest.curl.max-size=" + MAX_SIZE + "B");
        jdbc = new JdbcTemplate(postgres.dataSource());
        Await.until(WAIT, "ingest-service running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        ingest.close();
        processor.close();
    }

    @Test
    void fiveScreenshotsBecomeFiveResourcesAndFiveSearchableEmbeddingsWithTheSeedsEventsForEach() throws Exception {
        List<Endpoint> endpoints = List.of(
                ApiPageScreenshots.listUsers(),
                new Endpoint("Create an order", "POST", "https://shop.example.com/v2/orders",
                        List.of("Content-Type: application/json"), List.of("{", "  \"sku\": \"desk-oak\",", "  \"quantity\": 2", "}")),
                new Endpoint("Refund a payment to the customer", "POST", "https://pay.example.com/v1/refunds",
                        List.of("Authorization: Bearer sk_live_77"), List.of("{", "  \"payment\": \"pay_7\",", "  \"amount\": 1250", "}")),
                new Endpoint("Get the weather forecast for a city", "GET", "https://weather.example.com/v1/forecast?city=Paris",
                        List.of("Accept: application/json"), List.of()),
                new Endpoint("Delete a webhook subscription", "DELETE", "https://hooks.example.com/v1/webhooks/wh_3",
                        List.of("X-Api-Key: key_live_9"), List.of()));
        List<String> titles = List.of("Users API", "Orders API", "Payments API: refunds", "Weather API", "Webhooks API");
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            parts.add(Part.file("screenshot", "page-" + i + ".png", ApiPageScreenshots.page(titles.get(i), List.of(endpoints.get(i)))));
            parts.add(Part.field("pageUrl", "https://docs.example.com/page-" + i));
            parts.add(Part.field("pageTitle", titles.get(i)));
        }
        // Paused, the jobs wait while the stream connects: its first events are every job queued.
        assertThat(Http.post(ingest.uri("/api/queues/curl-generation/pause"), HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);

        Http.Response answer = post(parts);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        String flowId = answer.body().get("jobId").asString();
        List<String> jobIds = new ArrayList<>();
        answer.body().get("jobIds").forEach(id -> jobIds.add(id.asString()));
        assertThat(jobIds).hasSize(5);

        // The status store folds the jobs' QUEUED events within its commit interval; the stream starts from what it shows.
        Await.until(WAIT, "the flow and its jobs in the status store", () -> Stream.concat(Stream.of(flowId), jobIds.stream())
                .allMatch(id -> Http.get(ingest.uri("/api/jobs/" + id)).status() == 200));
        List<Event> events = new ArrayList<>();
        HttpResponse<Stream<String>> stream = client.sendAsync(HttpRequest.newBuilder(ingest.uri(answer.body().get("events").asString())).build(),
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = Thread.ofVirtual().start(() -> ServerSentEvents.parse(stream.body(), events));
        Await.until(WAIT, "every job queued on the stream", () -> jobIds.stream().allMatch(id -> statuses(events, "curl_progress", id).contains("queued")));
        // Embeddings held back: the flow must wait for them, its curl jobs done being half its work.
        assertThat(Http.post(ingest.uri("/api/queues/embeddings-generation/pause"), HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);
        long started = System.nanoTime();
        assertThat(Http.post(ingest.uri("/api/queues/curl-generation/resume"), HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);
        Await.until(WAIT, "every curl job completed and the flow at 50 %", () -> progresses(events, flowId).contains(50)
                && jobIds.stream().allMatch(id -> statuses(events, "curl_progress", id).contains("completed")));
        assertThat(statuses(events, "curl_progress", flowId)).as("the flow waits for its embedding jobs").doesNotContain("completed");
        assertThat(progresses(events, flowId)).last().isEqualTo(50);
        assertThat(Http.post(ingest.uri("/api/queues/embeddings-generation/resume"), HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);

        reader.join(WAIT);
        assertThat(reader.isAlive()).as("the stream ends when the flow and its embeddings have finished").isFalse();
        System.out.printf("5 screenshots → 5 resources → 5 embeddings in %d ms after the queue resumed (embeddings held until the curl jobs were done)%n",
                (System.nanoTime() - started) / 1_000_000);

        for (int i = 0; i < jobIds.size(); i++) {
            String jobId = jobIds.get(i);
            assertThat(statuses(events, "curl_progress", jobId)).as(jobId).containsExactly("queued", "processing", "completed");
            String embeddingJob = "api-resource:" + jobId + ":1";
            assertThat(statuses(events, "embedding_progress", embeddingJob)).as(embeddingJob).containsExactly("start", "complete");
            Map<String, Object> resource = jdbc.queryForMap("SELECT method, endpoint, headers::text AS headers, curl, provider, page_url FROM api_resources WHERE job_id = ?", jobId);
            assertThat(resource.get("method")).isEqualTo(endpoints.get(i).method());
            assertThat(resource.get("endpoint")).isEqualTo(endpoints.get(i).url());
            assertThat((String) resource.get("curl")).startsWith("curl -X " + endpoints.get(i).method() + " '" + endpoints.get(i).url() + "'");
            assertThat(resource.get("provider")).isEqualTo("tesseract-ocr");
            assertThat(resource.get("page_url")).isEqualTo("https://docs.example.com/page-" + i);
        }
        assertThat(statuses(events, "curl_progress", flowId)).last().isEqualTo("completed");
        List<Integer> flowProgress = progresses(events, flowId);
        assertThat(flowProgress).as("the flow's progress never goes back").isSorted();
        assertThat(flowProgress).as("the embeddings move the flow's progress past its curl jobs").anyMatch(p -> p > 50 && p < 100);
        JsonNode resources = Http.get(ingest.uri("/api/curl/jobs/" + flowId + "/resources")).body();
        assertThat(resources.get("count").asInt()).isEqualTo(5);
        JsonNode refund = resources.get("resources").get(2);
        assertThat(refund.get("resourceId").asString()).isEqualTo(jobIds.get(2) + ":1");
        assertThat(refund.get("headers").get("Authorization").asString()).isEqualTo("Bearer sk_live_77");
        assertThat(refund.get("body").asString()).isEqualTo("{\"payment\":\"pay_7\",\"amount\":1250}");
        assertThat(refund.get("markdown").asString()).startsWith("### POST https://pay.example.com/v1/refunds")
                .contains("Refund a payment to the customer");
        assertThat(refund.get("confidence").asDouble()).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE entity_type = 'api-resource' AND entity_id LIKE ?",
                Long.class, flowId + ":%")).isEqualTo(5);
        assertEachEmbeddingJobQueuedOnce(jobIds.stream().map(id -> "api-resource:" + id + ":1").toList());

        // The search embedding-processor's /api/content/search runs: the query embedded by the same model.
        EmbeddingProvider model = processor.bean(EmbeddingProvider.class);
        EmbeddingRepository embeddings = new EmbeddingRepository(postgres.dataSource());
        assertThat(topHit(embeddings, model, "refund money paid by a customer")).isEqualTo(jobIds.get(2) + ":1");
        assertThat(topHit(embeddings, model, "will it rain in Paris tomorrow")).isEqualTo(jobIds.get(3) + ":1");
        assertThat(topHit(embeddings, model, "list the users of a workspace")).isEqualTo(jobIds.get(0) + ":1");
    }

    @Test
    void aSingleScreenshotIsAFlowOfOneThatIsNotDoneNorItsStreamEndedBeforeItsResourceIsEmbedded() throws Exception {
        byte[] png = ApiPageScreenshots.page("Users API", List.of(ApiPageScreenshots.listUsers()));
        assertThat(Http.post(ingest.uri("/api/queues/embeddings-generation/pause"), HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);

        Http.Response answer = post(List.of(Part.file("screenshot", "users.png", png),
                Part.field("pageUrl", "https://docs.example.com/users"), Part.field("jobId", "curl-one")));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        assertThat(answer.body().get("jobId").asString()).isEqualTo("curl-one");
        String screenshotJob = answer.body().get("jobIds").get(0).asString();
        Await.until(WAIT, "the job in the status store", () -> Http.get(ingest.uri("/api/jobs/curl-one")).status() == 200);
        List<Event> events = new ArrayList<>();
        HttpResponse<Stream<String>> stream = client.sendAsync(HttpRequest.newBuilder(ingest.uri("/api/curl/jobs/curl-one/events")).build(),
                HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
        Thread reader = Thread.ofVirtual().start(() -> ServerSentEvents.parse(stream.body(), events));
        Await.until(WAIT, "the screenshot's curl job completed and the job at 50 %", () -> statuses(events, "curl_progress", screenshotJob)
                .contains("completed") && Http.get(ingest.uri("/api/jobs/curl-one")).body().path("job").path("progress").asInt() >= 50);

        JsonNode held = Http.get(ingest.uri("/api/jobs/curl-one")).body().path("job");
        assertThat(held.path("state").asString()).as("the job waits for its embedding").isNotIn("COMPLETED", "FAILED");
        assertThat(held.path("progress").asInt()).as("its curl job done, its embedding not").isEqualTo(50);
        assertThat(statuses(events, "curl_progress", "curl-one")).doesNotContain("completed");
        assertThat(reader.isAlive()).as("the stream waits for the embedding").isTrue();
        assertThat(Http.post(ingest.uri("/api/queues/embeddings-generation/resume"), HttpRequest.BodyPublishers.noBody()).status()).isEqualTo(200);

        reader.join(WAIT);
        assertThat(reader.isAlive()).as("the stream ends once the resource is embedded").isFalse();
        assertThat(statuses(events, "embedding_progress", "api-resource:curl-one:1:1")).containsExactly("start", "complete");
        assertThat(statuses(events, "curl_progress", "curl-one")).last().isEqualTo("completed");
        assertThat(progresses(events, "curl-one")).isSorted().last().isEqualTo(100);
        JsonNode done = Http.get(ingest.uri("/api/jobs/curl-one")).body().path("job");
        assertThat(done.path("state").asString()).isEqualTo("COMPLETED");
        assertThat(done.path("returnValue").path("results").get(0).path("embeddingJobIds").get(0).asString())
                .isEqualTo("api-resource:curl-one:1:1");
        assertThat(Http.get(ingest.uri("/api/curl/jobs/curl-one/resources")).body().path("count").asInt()).isEqualTo(1);
        assertThat(screenshotJob).as("the screenshot's job is the flow's child").isEqualTo("curl-one:1");
    }

    @Test
    void anEmbeddingJobDeadLetteredThenReplayedReopensItsFlowWhichCompletesAfterItWithoutItsProgressGoingBack() {
        byte[] png = ApiPageScreenshots.page("Orders API", List.of(new Endpoint("Cancel an order", "POST",
                "https://shop.example.com/v2/orders/42/cancel", List.of("X-Api-Key: key_live_9"), List.of())));
        String embeddingJob = "api-resource:curl-replay:1:1";
        // The embeddings table away: every attempt of the resource's embedding job fails until it is dead-lettered.
        jdbc.execute("ALTER TABLE embeddings RENAME TO embeddings_away");
        try {
            Http.Response answer = post(List.of(Part.file("screenshot", "orders.png", png),
                    Part.field("pageUrl", "https://docs.example.com/orders"), Part.field("jobId", "curl-replay")));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
            Await.until(WAIT, "the embedding job dead-lettered", () -> state(embeddingJob).equals("DEAD_LETTERED"));
        } finally {
            jdbc.execute("ALTER TABLE embeddings_away RENAME TO embeddings");
        }
        Await.until(WAIT, "the flow failed", () -> state("curl-replay").equals("FAILED"));
        JsonNode failed = Http.get(ingest.uri("/api/jobs/curl-replay")).body().path("job");
        assertThat(failed.path("failedReason").asString()).contains(embeddingJob);
        List<Integer> progress = new ArrayList<>(List.of(failed.path("progress").asInt()));

        Http.Response replay = Http.post(ingest.uri("/api/queues/embeddings-generation/dead-letters/replay?jobId=" + embeddingJob),
                HttpRequest.BodyPublishers.noBody());

        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        Await.until(WAIT, "the flow completed after its embedding job", () -> {
            JsonNode job = Http.get(ingest.uri("/api/jobs/curl-replay")).body().path("job");
            progress.add(job.path("progress").asInt());
            return job.path("state").asString().equals("COMPLETED");
        });
        assertThat(progress).as("the flow's progress from its failure to its completion").isSorted().startsWith(50).endsWith(100);
        assertThat(state(embeddingJob)).isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE entity_id = 'curl-replay:1:1'", Long.class)).isEqualTo(1);
    }

    private static String state(String jobId) {
        return Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job").path("state").asString();
    }

    @Test
    void aScreenshotThatIsNoImageTesseractCanReadIsDeadLetteredAtOnceWithItsReason() {
        byte[] png = ApiPageScreenshots.page("Broken", List.of(ApiPageScreenshots.listUsers()));
        byte[] truncated = java.util.Arrays.copyOf(png, 60);

        Http.Response answer = post(List.of(Part.file("screenshot", "broken.png", truncated),
                Part.field("pageUrl", "https://docs.example.com/broken"), Part.field("jobId", "curl-broken")));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        Await.until(WAIT, "the broken screenshot's job failed", () -> {
            JsonNode job = Http.get(ingest.uri("/api/jobs/curl-broken")).body().path("job");
            return job.path("state").asString().equals("FAILED");
        });
        JsonNode job = Http.get(ingest.uri("/api/jobs/curl-broken")).body().path("job");
        assertThat(job.path("failedReason").asString()).contains("curl-broken:1").contains("not a readable image");
        JsonNode screenshot = Http.get(ingest.uri("/api/jobs/curl-broken:1")).body().path("job");
        assertThat(screenshot.path("state").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(screenshot.path("attemptsMade").asInt()).isEqualTo(1);
    }

    @Test
    void badRequestsNameTheFieldAndQueueNothing() {
        byte[] png = ApiPageScreenshots.page("Users", List.of(ApiPageScreenshots.listUsers()));

        Http.Response noUrl = post(List.of(Part.file("screenshot", "a.png", png)));
        Http.Response relativeUrl = post(List.of(Part.file("screenshot", "a.png", png), Part.field("pageUrl", "/docs/users")));
        Http.Response pdf = post(List.of(Part.file("screenshot", "a.pdf", "%PDF-1.4\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1)),
                Part.field("pageUrl", "https://docs.example.com/a")));
        Http.Response large = post(List.of(Part.file("screenshot", "a.png", java.util.Arrays.copyOf(png, MAX_SIZE + 1)),
                Part.field("pageUrl", "https://docs.example.com/a")));
        Http.Response noScreenshot = post(List.of(Part.field("pageUrl", "https://docs.example.com/a")));

        assertThat(noUrl.status()).isEqualTo(400);
        assertThat(noUrl.body().path("error").path("field").asString()).isEqualTo("pageUrl");
        assertThat(relativeUrl.status()).isEqualTo(400);
        assertThat(relativeUrl.body().path("error").path("field").asString()).isEqualTo("pageUrl");
        assertThat(pdf.status()).isEqualTo(415);
        assertThat(pdf.body().path("error").path("field").asString()).isEqualTo("screenshot");
        assertThat(large.status()).isEqualTo(413);
        assertThat(noScreenshot.status()).isEqualTo(400);
        assertThat(noScreenshot.body().path("error").path("field").asString()).isEqualTo("screenshot");
        assertThat(Http.get(ingest.uri("/api/curl/jobs/no-such-job/events")).status()).isEqualTo(404);
        assertThat(Http.get(ingest.uri("/api/curl/jobs/no-such-job/resources")).status()).isEqualTo(404);
    }

    /**
     * The embedding jobs are derived from the curl jobs' COMPLETED events in one exactly-once
     * transaction: each is on the queue once. A job's copies share its key, hence its partition, so
     * once every id has been read any earlier copy has been read too.
     */
    private static void assertEachEmbeddingJobQueuedOnce(List<String> embeddingJobIds) throws InterruptedException {
        try (TopicTail requests = new TopicTail(kafka.bootstrapServers(), CurlJobs.EMBEDDINGS_GENERATION.requests())) {
            Await.until(WAIT, "every embedding job read from its queue", () -> requests.records().stream()
                    .map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(embeddingJobIds));
            assertThat(requests.records().stream().map(ConsumerRecord::key).filter(embeddingJobIds::contains).toList())
                    .containsExactlyInAnyOrderElementsOf(embeddingJobIds);
        }
    }

    private static String topHit(EmbeddingRepository embeddings, EmbeddingProvider model, String query) {
        List<SearchHit> hits = embeddings.search(model.embed(List.of(query)).getFirst(), model.model(), "api-resource", 1);
        return hits.getFirst().entityId();
    }

    /** The progress each curl_progress event of {@code jobId} reported, in order. */
    private static List<Integer> progresses(List<Event> events, String jobId) {
        synchronized (events) {
            return events.stream()
                    .filter(event -> event.name().equals("curl_progress") && event.data().path("jobId").asString().equals(jobId)
                            && event.data().path("progress").isNumber())
                    .map(event -> event.data().path("progress").asInt())
                    .toList();
        }
    }

    private static List<String> statuses(List<Event> events, String name, String jobId) {
        synchronized (events) {
            return events.stream()
                    .filter(event -> event.name().equals(name) && event.data().path("jobId").asString().equals(jobId))
                    .map(event -> event.data().path("status").asString())
                    .toList();
        }
    }

    private record Part(String name, String fileName, byte[] content) {

        static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, content);
        }

        static Part field(String name, String value) {
            return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** multipart/form-data as a browser or {@code curl -F} sends it. */
    private static Http.Response post(List<Part> parts) {
        String boundary = "----jobstream" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            String disposition = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\""
                    + (part.fileName() == null ? "\r\n\r\n" : "; filename=\"" + part.fileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(disposition.getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        URI uri = ingest.uri("/api/curl/jobs");
        return Http.post(uri, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
    }
}
