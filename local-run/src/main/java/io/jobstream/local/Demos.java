package io.jobstream.local;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jobstream.test.ApiPageScreenshots;
import tools.jackson.databind.JsonNode;

/**
 * One small demo of each seed besides the posts, each submitted through ingest-service's public
 * routes as a user would, answering the ids of the jobs it added.
 */
final class Demos {

    static final String SCHEDULER = "/api/queues/embedding/schedulers/demo-pending-posts";
    static final String REMINDER_ID = "demo-reminder";
    private static final long SCHEDULER_EVERY_MILLIS = 30_000;
    private static final long REMINDER_DELAY_SECONDS = 60;

    private final Http http;
    private final ServiceProcess ingest;

    Demos(Http http, ServiceProcess ingest) {
        this.http = http;
        this.ingest = ingest;
    }

    /** Seed 001: a chat, and a batch of two messages (a flow: its parent finishes after both). */
    List<String> chatAndBatch() {
        String chat = post("/agent/queue/chat", Map.of("userId", "demo",
                "message", "What do people here say about training for a first marathon?")).path("jobId").asString();
        String batch = post("/agent/queue/batch", Map.of("userId", "demo", "messages", List.of(
                Map.of("message", "What is 17 * 23?"),
                Map.of("message", "Which posts talk about coffee?")))).path("jobId").asString();
        return List.of(chat, batch);
    }

    /** Seed 002: two documents through extraction, classification, entity recognition and ingestion. */
    List<String> documents() {
        return List.of(
                post("/api/pipeline/process", Map.of("fileName", "funding-round.txt", "text", """
                        Acme Robotics closed a 12 million dollar Series A led by Northwind Capital in London on
                        3 March 2025. Revenue grew 40 percent last year and the company expects to be profitable
                        in 2026, said its chief executive Maria Lopez.""")).path("jobId").asString(),
                post("/api/pipeline/process", Map.of("fileName", "service-agreement.txt", "text", """
                        This Service Agreement is made between Contoso Ltd and Fabrikam Inc. The supplier shall
                        indemnify the customer against any liability arising from a breach of these terms. Either
                        party may terminate the agreement with thirty days written notice; disputes are settled by
                        the courts of New York.""")).path("jobId").asString());
    }

    /** Seed 003: a drawn API reference page, read by OCR into an endpoint and its curl command. */
    List<String> screenshot() {
        byte[] png = ApiPageScreenshots.page("Users API", List.of(ApiPageScreenshots.listUsers()));
        JsonNode answer = answered("POST /api/curl/jobs", () -> http.postMultipart(ingest.uri("/api/curl/jobs"), List.of(
                new Http.Part("screenshot", "users-api.png", "image/png", png),
                Http.Part.field("pageUrl", "https://docs.example.com/api/users"),
                Http.Part.field("pageTitle", "Users API"))));
        return List.of(answer.path("jobId").asString());
    }

    /** Seed 004: products whose embedding and enrichment jobs the catalog processor derives from the products topic. */
    List<String> products() {
        List<Map<String, Object>> products = List.of(
                product("demo-mug", "Handmade ceramic coffee mug", "A glazed stoneware mug. A lovely birthday gift for her.", 1800),
                product("demo-scarf", "Cashmere scarf in navy", "A soft knitted cashmere scarf for him, warm for winter walks.", 6500),
                product("demo-headphones", "Wireless noise-cancelling headphones", "Bluetooth headphones with a charger case.", 12900),
                product("demo-puzzle", "Wooden jigsaw puzzle for kids", "A 100-piece puzzle and board game night for the family.", 2400),
                product("demo-gin", "Small-batch gin gift set", "Botanical gin with two glasses, an anniversary gift for a couple.", 4200),
                product("demo-yoga", "Cork yoga mat", "A non-slip yoga mat for fitness and outdoor sports.", 5500),
                product("demo-journal", "Leather notebook journal", "A refillable notebook with pens for writing and sketching.", 3000),
                product("demo-candle", "Scented soy candle", "A candle for the home, a housewarming gift with cushions in mind.", 1600));
        post("/api/products/bulk", Map.of("products", products));
        List<String> jobs = new ArrayList<>();
        products.forEach(product -> {
            jobs.add("product-embedding:" + product.get("id"));
            jobs.add("product-enrichment:" + product.get("id"));
        });
        return jobs;
    }

    /** Seed 004: the day's curated collections of the three surfaces, from the products' vectors. */
    List<String> collections() {
        JsonNode answer = post("/api/collections/schedule-daily", Map.of("date", today().toString(), "triggeredBy", "local-run"));
        return answer.path("jobs").valueStream().map(job -> job.path("job").path("jobId").asString()).toList();
    }

    /** Seed 004: a reminder due a minute from now, sent to {@code receiver}'s webhook channel. */
    Instant reminder() {
        Instant sendAt = Instant.now().plusSeconds(REMINDER_DELAY_SECONDS).truncatedTo(ChronoUnit.SECONDS);
        post("/api/reminders", Map.of("scheduleId", REMINDER_ID, "userId", "demo-user", "channel", "WEBHOOK",
                "payload", Map.of("title", "Sarah's birthday is tomorrow", "body", "Order the mug today", "data", Map.of()),
                "sendAt", sendAt.toString(), "triggeredBy", "local-run"));
        return sendAt;
    }

    /** A scheduler adding a pending-posts embedding job every 30 s; answers the scheduler as ingest-service knows it. */
    JsonNode scheduler() {
        return answered("PUT " + SCHEDULER, () -> http.put(ingest.uri(SCHEDULER), Map.of("every", SCHEDULER_EVERY_MILLIS,
                "template", Map.of("name", "generate-embeddings", "data", Map.of("entityType", "post", "entityId", "pending",
                        "triggeredBy", "schedule", "metadata", Map.of("batchSize", "100"))))));
    }

    /** The scheduler's state now: {@code count} jobs added, {@code nextRun}. */
    JsonNode schedulerState() {
        return answered("GET " + SCHEDULER, () -> http.get(ingest.uri(SCHEDULER)));
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static Map<String, Object> product(String id, String title, String description, int price) {
        return Map.of("id", id, "title", title, "description", description, "price", price, "currency", "GBP",
                "isFeatured", true);
    }

    private JsonNode post(String path, Object body) {
        URI uri = ingest.uri(path);
        return answered("POST " + path, () -> http.post(uri, body));
    }

    private interface Request {
        Http.Response send() throws IOException;
    }

    /** The answer's body; anything but a 2xx ends the run, quoting the answer. */
    private static JsonNode answered(String what, Request request) {
        Http.Response response;
        try {
            response = request.send();
        } catch (IOException e) {
            throw new LaunchException(what + " failed: " + e.getMessage(), e);
        }
        if (!response.ok()) {
            throw new LaunchException(what + " answered HTTP " + response.status() + ": " + response.body());
        }
        return response.body();
    }
}
