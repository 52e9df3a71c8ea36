package io.jobstream.local;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Follows a demo's jobs through {@code GET /api/jobs/{id}} until each has finished, redrawing a
 * progress bar, then prints each job's outcome. A job the status store does not know yet (404: a
 * processor derives it, or its QUEUED event is still being folded) counts as waiting.
 */
final class JobWatch {

    private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled", "removed");
    private static final Duration POLL = Duration.ofMillis(500);
    // Without a terminal every update is a new line: one every few seconds is enough for a log.
    private static final Duration PLAIN_OUTPUT_EVERY = Duration.ofSeconds(5);
    // Models load on first use and a restarted processor waits out its group's rebalance: be patient.
    private static final Duration STALL_LIMIT = Duration.ofMinutes(5);
    private static final int BAR_WIDTH = 20;
    private static final int SHOWN_RESULT = 110;

    /** @param finished each job's last answer, by id; empty when the wait gave up */
    record Outcome(Map<String, JsonNode> finished, boolean stalled) {

        long failed() {
            return finished.values().stream().filter(job -> !"completed".equals(job.path("status").asString())).count();
        }
    }

    private final Http http;
    private final ServiceProcess ingest;
    private final Console console;
    private final ProgressBar bar = new ProgressBar(BAR_WIDTH);

    JobWatch(Http http, ServiceProcess ingest, Console console) {
        this.http = http;
        this.ingest = ingest;
        this.console = console;
    }

    /** Polls until every job of {@code jobIds} has finished, or none finished for {@link #STALL_LIMIT}. */
    Outcome await(List<String> jobIds) {
        long started = System.nanoTime();
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        long lastChange = started;
        long lastPrinted = started - PLAIN_OUTPUT_EVERY.toNanos();
        while (true) {
            for (String id : jobIds) {
                if (!finished.containsKey(id)) {
                    JsonNode job = job(id);
                    if (FINISHED.contains(job.path("status").asString())) {
                        finished.put(id, job);
                        lastChange = System.nanoTime();
                    }
                }
            }
            long now = System.nanoTime();
            boolean done = finished.size() == jobIds.size();
            if (console.terminal() || done || now - lastPrinted >= PLAIN_OUTPUT_EVERY.toNanos()) {
                Outcome sofar = new Outcome(finished, false);
                console.progress(bar.render(finished.size(), jobIds.size())
                        + (sofar.failed() > 0 ? "  failed " + sofar.failed() : "")
                        + String.format(Locale.ROOT, "  %.1f s", (now - started) / 1e9));
                lastPrinted = now;
            }
            if (done) {
                finished.forEach((id, job) -> console.info("  " + id + "  " + job.path("status").asString() + "  "
                        + shorten(job.path("failedReason").isMissingNode() || job.path("failedReason").isNull()
                                ? job.path("returnValue").toString() : job.path("failedReason").asString())));
                return new Outcome(Map.copyOf(finished), false);
            }
            if (now - lastChange >= STALL_LIMIT.toNanos()) {
                console.warn("no job finished for " + STALL_LIMIT.toMinutes() + " minutes; going on without "
                        + jobIds.stream().filter(id -> !finished.containsKey(id)).toList());
                return new Outcome(Map.copyOf(finished), true);
            }
            Pause.sleep(POLL);
        }
    }

    /** The job's status, or an empty object while it is unknown or ingest-service cannot answer. */
    private JsonNode job(String id) {
        try {
            Http.Response response = http.get(ingest.uri("/api/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8)));
            return response.ok() ? response.body().path("job") : MissingNode.getInstance();
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= SHOWN_RESULT ? line : line.substring(0, SHOWN_RESULT - 1) + "…";
    }
}
