package io.jobstream.local;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import tools.jackson.databind.JsonNode;

/** Posts the demo to ingest-service's webhook in batches, as a scraper's run-finished webhook would. */
final class Workload {

    static final String WEBHOOK = "/api/content/ingest/webhook";
    private static final int BATCH_SIZE = 100;
    private static final int PARALLEL_REQUESTS = 4;
    private static final int SHOWN_ERRORS = 5;
    private static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(1);
    private static final Duration UNAVAILABLE_LIMIT = Duration.ofMinutes(2);

    /**
     * What the webhook accepted.
     *
     * @param jobIds       one embedding job per accepted post
     * @param startedNanos {@link System#nanoTime()} when the first batch was sent (its accepted attempt):
     *                     throughput is measured from here
     * @param took         from then until the last batch was answered
     */
    record Submitted(int posts, int accepted, int rejected, List<String> jobIds, long startedNanos, Duration took) {
    }

    private Workload() {
    }

    /** The webhook's answer to one batch, and when the request that got it was sent. */
    private record Answer(JsonNode body, long sentNanos) {
    }

    static Submitted submit(List<DemoPost> posts, Http http, URI webhook, Console console) {
        int batches = (posts.size() + BATCH_SIZE - 1) / BATCH_SIZE;
        List<Future<Answer>> answers = new ArrayList<>(batches);
        // A scraper's webhook calls arrive side by side; one at a time, the pipeline would wait on each answer.
        Semaphore inFlight = new Semaphore(PARALLEL_REQUESTS);
        long firstSent = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int batch = 0; batch < batches; batch++) {
                List<DemoPost> items = posts.subList(batch * BATCH_SIZE, Math.min(posts.size(), (batch + 1) * BATCH_SIZE));
                inFlight.acquireUninterruptibly();
                answers.add(senders.submit(() -> {
                    try {
                        return post(http, webhook, items, console);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        long start = 0;
        int accepted = 0;
        int rejected = 0;
        List<String> jobIds = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int batch = 0; batch < batches; batch++) {
            Answer reply = Futures.await(answers.get(batch));
            JsonNode answer = reply.body();
            if (batch == 0) {
                start = reply.sentNanos();
            }
            accepted += answer.path("accepted").asInt();
            rejected += answer.path("rejected").asInt();
            answer.path("jobIds").values().forEach(id -> jobIds.add(id.asString()));
            answer.path("errors").values().forEach(error -> errors.add(describe(error)));
        }
        console.info(String.format(Locale.ROOT, "  %d batches of up to %d posts, %d at a time: %d accepted, %d rejected, %.1f s",
                batches, BATCH_SIZE, PARALLEL_REQUESTS, accepted, rejected, (System.nanoTime() - firstSent) / 1e9));
        errors.stream().limit(SHOWN_ERRORS).forEach(error -> console.warn("rejected: " + error));
        if (accepted == 0) {
            throw new LaunchException("ingest-service accepted none of the " + posts.size() + " demo posts"
                    + (errors.isEmpty() ? "" : "; first error: " + errors.getFirst()));
        }
        return new Submitted(posts.size(), accepted, rejected, List.copyOf(jobIds), start,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * 202 (some accepted) and 422 (none accepted) both report per item. A 503 means the job-status
     * store is still being assigned after start-up (nothing was published): retried, as a scraper
     * would. Anything else stops the run.
     */
    private static Answer post(Http http, URI webhook, List<DemoPost> items, Console console) {
        long deadline = System.nanoTime() + UNAVAILABLE_LIMIT.toNanos();
        boolean told = false;
        while (true) {
            long sent = System.nanoTime();
            Http.Response response;
            try {
                response = http.post(webhook, items);
            } catch (IOException e) {
                throw new LaunchException("cannot post to " + webhook + ": " + e.getMessage(), e);
            }
            switch (response.status()) {
                case 200, 202, 422 -> {
                    return new Answer(response.body(), sent);
                }
                case 503 -> {
                    if (System.nanoTime() - deadline >= 0) {
                        throw new LaunchException("ingest-service still answers 503 after " + UNAVAILABLE_LIMIT.toSeconds()
                                + " s: " + response.body());
                    }
                    if (!told) {
                        console.info("  ingest-service is not ready for jobs yet (503: " + response.body().path("error")
                                .path("reason").asString() + "), retrying");
                        told = true;
                    }
                    Pause.sleep(UNAVAILABLE_RETRY);
                }
                case 404 -> throw new LaunchException("ingest-service has no " + WEBHOOK + " route: rebuild it "
                        + "(./mvnw -q -B package -DskipTests) with the webhook in place");
                default -> throw new LaunchException("POST " + webhook + " answered HTTP " + response.status() + ": "
                        + response.body());
            }
        }
    }

    private static String describe(JsonNode error) {
        return "item " + error.path("index").asInt() + " (" + error.path("postId").asString("?") + ") "
                + error.path("field").asString() + " " + error.path("reason").asString();
    }
}
