package io.jobstream.chaos;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;

/**
 * The mixed load: posts through the webhook, chats and batches, documents, generic jobs on the declared
 * {@code embedding} queue, products (their embedding and enrichment jobs), reminders due during the run, and a
 * scheduler ticking every second. Each
 * submission runs on a virtual thread of its own and goes to the next ingest-service instance when one does
 * not answer, so a fault slows no other submission; only acknowledged jobs are counted.
 */
final class Workload implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Workload.class);
    static final String TICK_SCHEDULER = "chaos-tick";
    private static final String TICK_QUEUE = "embedding";
    private static final Duration SUBMIT_PATIENCE = Duration.ofSeconds(90);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final List<Instance> ingest;
    private final Http http;
    private final Random random;
    private final ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Submitted> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicInteger nextInstance = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();

    Workload(List<Instance> ingest, Http http, long seed) {
        this.ingest = ingest;
        this.http = http;
        this.random = new Random(seed);
    }

    /** Submits the mix once per second while {@code going}; reminders fall due 5 to 65 s after they are added. */
    void run(BooleanSupplier going) {
        startTicking();
        for (long s = 0; going.getAsBoolean(); s++) {
            if (s % 2 == 0) {
                submitLater(posts(4));
            }
            if (s % 3 == 0) {
                submitLater(generic());
            }
            if (s % 4 == 0) {
                submitLater(chat());
            }
            if (s % 15 == 0) {
                submitLater(document());
            }
            if (s % 30 == 0) {
                submitLater(batch(3));
            }
            if (s % 5 == 0) {
                submitLater(product());
            }
            if (s % 10 == 0) {
                submitLater(reminder(Instant.now().plusSeconds(5 + nextInt(60))));
            }
            pause(Duration.ofSeconds(1));
        }
        stopTicking();
    }

    /** A job of {@code kind} now, acknowledged before this returns, to see a queue serve again after a fault. */
    List<Submitted> probe(JobKind kind) {
        return submitNow(switch (kind) {
            case POST, TICK -> posts(1);
            case GENERIC -> generic();
            case CHAT, BATCH -> chat();
            case DOCUMENT -> document();
            case REMINDER -> reminder(Instant.now());
            case PRODUCT_EMBEDDING, ENRICHMENT -> product();
        });
    }

    List<Submitted> submitted() {
        return List.copyOf(submitted);
    }

    int unacknowledged() {
        return unacknowledged.get();
    }

    /** Waits for every submission in progress to be acknowledged or given up. */
    @Override
    public void close() throws InterruptedException {
        submitters.shutdown();
        submitters.awaitTermination(SUBMIT_PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
    }

    private Submission posts(int count) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long n = sequence.incrementAndGet();
            items.add(Map.of("id", "chaos-post-" + n, "text", "Post " + n + " about " + topic() + " and how it scales"));
        }
        return new Submission("webhook", uri -> http.post(uri.resolve("/api/content/ingest/webhook"), items), body -> {
            List<Submitted> jobs = new ArrayList<>();
            body.path("jobIds").forEach(id -> jobs.add(new Submitted(id.asString(), JobKind.POST, Instant.now())));
            return jobs;
        });
    }

    private Submission generic() {
        long n = sequence.incrementAndGet();
        Map<String, Object> job = Map.of("name", "product-embedding",
                "data", Map.of("entityType", "product", "entityId", "chaos-product-" + n, "text", "A " + topic() + " desk " + n),
                "opts", Map.of("jobId", "chaos-generic-" + n));
        return new Submission("generic job", uri -> http.post(uri.resolve("/api/queues/embedding/jobs"), job),
                body -> List.of(new Submitted(body.path("jobId").asString(), JobKind.GENERIC, Instant.now())));
    }

    private Submission chat() {
        long n = sequence.incrementAndGet();
        Map<String, Object> chat = Map.of("message", "Chaos question " + n + ": what is " + topic() + "?",
                "sessionId", "chaos-session-" + (n % 5));
        return new Submission("chat", uri -> http.post(uri.resolve("/agent/queue/chat"), chat),
                body -> List.of(new Submitted(body.path("jobId").asString(), JobKind.CHAT, Instant.now())));
    }

    private Submission batch(int messages) {
        long n = sequence.incrementAndGet();
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 1; i <= messages; i++) {
            list.add(Map.of("message", "Batch " + n + " message " + i + " on " + topic()));
        }
        return new Submission("batch", uri -> http.post(uri.resolve("/agent/queue/batch"), Map.of("messages", list)), body -> {
            String parent = body.path("jobId").asString();
            List<Submitted> jobs = new ArrayList<>(List.of(new Submitted(parent, JobKind.BATCH, Instant.now())));
            for (int i = 1; i <= body.path("messageCount").asInt(messages); i++) {
                jobs.add(new Submitted(parent + ":" + i, JobKind.CHAT, Instant.now()));
            }
            return jobs;
        });
    }

    private Submission document() {
        long n = sequence.incrementAndGet();
        String text = ("Quarterly report " + n + ". Warren Buffett met Satya Nadella in Seattle on March 3, 2026 to discuss "
                + "the $4 billion investment of Berkshire Hathaway in Microsoft. Revenue grew 12 percent, profit and "
                + "earnings beat the forecast of the banks and the stock market.\n").repeat(3);
        Map<String, Object> document = Map.of("jobId", "chaos-doc-" + n, "fileName", "report-" + n + ".txt", "text", text);
        return new Submission("document", uri -> http.post(uri.resolve("/api/pipeline/process"), document),
                body -> List.of(new Submitted(body.path("jobId").asString(), JobKind.DOCUMENT, Instant.now())));
    }

    /**
     * A new product on the products topic: catalog-processor stores it and derives its embedding and its
     * enrichment job, under the seed's ids.
     */
    private Submission product() {
        long n = sequence.incrementAndGet();
        String id = "chaos-product-" + n;
        Map<String, Object> product = Map.of("title", "Chaos " + topic() + " mug " + n, "brand", "Chaos Pottery",
                "description", "A ceramic mug for " + topic() + " fans. Dishwasher safe, holds 350 ml.",
                "price", 1800 + n, "currency", "EUR", "tags", List.of("kitchen", "gift"));
        return new Submission("product", uri -> http.put(uri.resolve("/api/products/" + id), product), body -> List.of(
                new Submitted("product-embedding:" + id, JobKind.PRODUCT_EMBEDDING, Instant.now()),
                new Submitted("product-enrichment:" + id, JobKind.ENRICHMENT, Instant.now())));
    }

    private Submission reminder(Instant sendAt) {
        long n = sequence.incrementAndGet();
        Map<String, Object> reminder = Map.of("scheduleId", "chaos-reminder-" + n, "userId", "chaos-user", "channel", "WEBHOOK",
                "payload", Map.of("title", "Reminder " + n, "body", "Due at " + sendAt, "data", Map.of()),
                "sendAt", sendAt.toString());
        return new Submission("reminder", uri -> http.post(uri.resolve("/api/reminders"), reminder),
                body -> List.of(new Submitted(body.path("jobId").asString(), JobKind.REMINDER, Instant.now())));
    }

    private void startTicking() {
        Map<String, Object> scheduler = Map.of("every", 1000, "template", Map.of("name", "product-embedding",
                "data", Map.of("entityType", "product", "entityId", TICK_SCHEDULER, "text", "The scheduler's tick")));
        Http.Response response = untilAnswered(uri -> http.put(
                uri.resolve("/api/queues/" + TICK_QUEUE + "/schedulers/" + TICK_SCHEDULER), scheduler));
        if (!response.ok()) {
            throw new IllegalStateException("cannot create the tick scheduler: " + response.status() + " " + response.body());
        }
    }

    private void stopTicking() {
        Http.Response response = untilAnswered(uri -> http.delete(
                uri.resolve("/api/queues/" + TICK_QUEUE + "/schedulers/" + TICK_SCHEDULER)));
        log.info("tick scheduler deleted: {}", response.status());
    }

    /** One call that adds jobs: what it is, the call to an ingest instance, and the jobs its answer acknowledges. */
    private record Submission(String what, Function<URI, Http.Response> call,
                              Function<JsonNode, List<Submitted>> acknowledged) {
    }

    private void submitLater(Submission submission) {
        submitters.execute(() -> submitNow(submission));
    }

    private List<Submitted> submitNow(Submission submission) {
        Http.Response response = untilAnswered(submission.call());
        if (!response.ok()) {
            unacknowledged.incrementAndGet();
            log.warn("{} not acknowledged: {} {}", submission.what(), response.status(), response.body());
            return List.of();
        }
        List<Submitted> jobs = submission.acknowledged().apply(response.body());
        submitted.addAll(jobs);
        return jobs;
    }

    /**
     * The first answer that is neither "no answer" nor a 5xx (a rebalancing or restarting instance), trying the
     * ingest instances in turn for up to 90 s; the last answer when none came.
     */
    private Http.Response untilAnswered(Function<URI, Http.Response> call) {
        long deadline = System.nanoTime() + SUBMIT_PATIENCE.toNanos();
        while (true) {
            Instance instance = ingest.get(Math.floorMod(nextInstance.getAndIncrement(), ingest.size()));
            Http.Response response = call.apply(instance.uri("/"));
            if ((response.status() > 0 && response.status() < 500) || System.nanoTime() - deadline >= 0) {
                return response;
            }
            pause(RETRY_PAUSE);
        }
    }

    private String topic() {
        List<String> topics = List.of("kafka streams", "vector search", "exactly-once delivery", "job queues", "retries");
        return topics.get(nextInt(topics.size()));
    }

    // Probes come from the fault thread while the load comes from the run's.
    private int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
