package io.jobstream.local;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * Follows the embedding jobs until each has finished, redrawing a progress bar. Job counts come from
 * {@code GET /api/queues/embedding}; the database's coverage from {@code GET /api/content/embeddings/stats}
 * when ingest-service answers it (otherwise the run goes on with the queue's counts alone).
 */
final class ProgressMonitor {

    static final String QUEUE = "/api/queues/embedding";
    static final String STATS = "/api/content/embeddings/stats";
    private static final Duration POLL = Duration.ofMillis(500);
    // Without a terminal every update is a new line: one every few seconds is enough for a log.
    private static final Duration PLAIN_OUTPUT_EVERY = Duration.ofSeconds(5);
    private static final Duration STALL_LIMIT = Duration.ofMinutes(3);
    private static final int BAR_WIDTH = 20;

    /**
     * @param database the last database stats, empty when ingest-service has no stats route
     * @param wallTime from the first webhook call until every job had finished (or the wait gave up)
     * @param stalled  no job finished for {@link #STALL_LIMIT}, so the wait gave up
     */
    record Outcome(QueueCounts queue, Optional<DatabaseStats> database, Duration wallTime, boolean stalled) {
    }

    private final Http http;
    private final ServiceProcess ingest;
    private final Console console;
    private final ProgressBar bar = new ProgressBar(BAR_WIDTH);
    private boolean statsAnswered = true;

    ProgressMonitor(Http http, ServiceProcess ingest, Console console) {
        this.http = http;
        this.ingest = ingest;
        this.console = console;
    }

    /** Polls until {@code expected} jobs have finished, measuring from {@code startedNanos}. */
    Outcome await(long expected, long startedNanos) {
        QueueCounts queue = null;
        Optional<DatabaseStats> database = Optional.empty();
        long lastChange = System.nanoTime();
        long lastPrinted = lastChange - PLAIN_OUTPUT_EVERY.toNanos();
        while (true) {
            Optional<QueueCounts> counts = queueCounts();
            long now = System.nanoTime();
            if (counts.isPresent()) {
                if (queue == null || counts.get().finished() != queue.finished()) {
                    lastChange = now;
                }
                queue = counts.get();
                Optional<DatabaseStats> previous = database;
                database = databaseStats().or(() -> previous);
                Duration elapsed = Duration.ofNanos(now - startedNanos);
                boolean done = queue.finished() >= expected;
                if (console.terminal() || done || now - lastPrinted >= PLAIN_OUTPUT_EVERY.toNanos()) {
                    console.progress(line(queue, database, expected, elapsed));
                    lastPrinted = now;
                }
                if (done) {
                    // Once more: the last tick's stats may predate the last job's vector.
                    Optional<DatabaseStats> last = database;
                    return new Outcome(queue, databaseStats().or(() -> last), elapsed, false);
                }
            }
            if (now - lastChange >= STALL_LIMIT.toNanos()) {
                if (queue == null) {
                    throw new LaunchException("ingest-service did not answer GET " + QUEUE + " for "
                            + STALL_LIMIT.toMinutes() + " minutes; see " + ingest.log());
                }
                return new Outcome(queue, database, Duration.ofNanos(now - startedNanos), true);
            }
            Pause.sleep(POLL);
        }
    }

    /** Short enough for an 80-column terminal: a wrapped line could not be redrawn in place. */
    private String line(QueueCounts queue, Optional<DatabaseStats> database, long expected, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return bar.render(queue.finished(), expected)
                + (queue.failed() > 0 ? "  failed " + queue.failed() : "")
                + String.format(Locale.ROOT, "  %.1f posts/s", queue.finished() / seconds)
                + database.map(stats -> String.format(Locale.ROOT, "  coverage %.1f%%", stats.coveragePct())).orElse("");
    }

    /** Empty while ingest-service cannot answer (starting, rebalancing). */
    private Optional<QueueCounts> queueCounts() {
        try {
            Http.Response response = http.get(ingest.uri(QUEUE));
            return response.ok() ? Optional.of(QueueCounts.of(response.body().path("queue"))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Empty when the route is missing (then it is not asked again) or did not answer this time. */
    private Optional<DatabaseStats> databaseStats() {
        if (!statsAnswered) {
            return Optional.empty();
        }
        try {
            Http.Response response = http.get(ingest.uri(STATS));
            if (response.status() == 404) {
                statsAnswered = false;
                console.warn("ingest-service has no " + STATS + " yet: progress and coverage come from the queue's counts");
            }
            JsonNode database = response.body().path("database");
            return response.ok() && database.isObject() ? Optional.of(DatabaseStats.of(database)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
