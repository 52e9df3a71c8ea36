package io.jobstream.local;

import java.util.Locale;

/** The closing report: what the demo did, how fast, and how to try the running stack by hand. */
final class Summary {

    private Summary() {
    }

    static void print(Console console, Workload.Submitted submitted, ProgressMonitor.Outcome outcome,
                      Infrastructure infrastructure, Services services, Workspace workspace) {
        QueueCounts queue = outcome.queue();
        double seconds = Math.max(outcome.wallTime().toMillis(), 1) / 1000.0;
        console.heading("Summary");
        row(console, "posts", "%d sent, %d accepted, %d rejected (webhook calls took %.1f s)", submitted.posts(),
                submitted.accepted(), submitted.rejected(), submitted.took().toMillis() / 1000.0);
        row(console, "jobs", "%d completed, %d failed (%d dead-lettered)", queue.completed(), queue.failed(),
                queue.deadLettered());
        row(console, "wall time", "%.1f s from the first webhook call to the last finished job", seconds);
        row(console, "throughput", "%.1f posts/s", queue.finished() / seconds);
        outcome.database().ifPresentOrElse(
                stats -> row(console, "coverage", "%.2f%% (%d of %d posts have an embedding)", stats.coveragePct(),
                        stats.postsWithEmbeddings(), stats.totalPosts()),
                () -> row(console, "coverage", "%.2f%% of the accepted posts' jobs completed (no %s route to ask the database)",
                        100.0 * queue.completed() / submitted.accepted(), ProgressMonitor.STATS));
        if (outcome.stalled()) {
            console.warn("no job finished for minutes before all were done: see " + services.processor().log());
        }

        String ingest = services.ingest().baseUrl();
        console.heading("Running");
        row(console, "dashboard", "%s/dashboard", ingest);
        row(console, "API", "%s  (every public route; Swagger UI at %s/swagger-ui.html)", ingest, ingest);
        for (ServiceProcess service : services.all()) {
            row(console, service.name(), "%s  (pid %d, log %s)", service.baseUrl(), service.pid(), service.log());
        }
        row(console, "kafka", "%s", infrastructure.kafka().bootstrapServers());
        row(console, "postgresql", "%s  (user %s, pid %d)", infrastructure.postgres().jdbcUrl(), LocalPostgres.USER,
                infrastructure.postgres().postmaster().map(ProcessHandle::pid).orElse(-1L));
        infrastructure.redis().ifPresent(redis -> row(console, "redis", "%s  (pid %d)", redis.uri(), redis.pid()));
        row(console, "files", "%s  (deleted on exit)", workspace.root());

        console.heading("Try");
        console.info("  curl -s " + ingest + ProgressMonitor.QUEUE);
        console.info("  curl -s " + ingest + ProgressMonitor.STATS);
        if (!submitted.jobIds().isEmpty()) {
            console.info("  curl -s " + ingest + "/api/jobs/" + submitted.jobIds().getFirst());
        }
        console.info("  curl -s '" + ingest + SemanticSearch.path("tips for a first marathon") + "'");
        console.info("  curl -s -X POST " + ingest + "/agent/queue/chat -H 'Content-Type: application/json' "
                + "-d '{\"message\":\"What is 6 * 7?\"}'");
        console.info("  curl -s -X POST " + ingest + "/api/pipeline/process -F file=@README.md");
        console.info("  curl -s " + ingest + "/api/reminders/" + Demos.REMINDER_ID);
        console.info("  curl -s '" + ingest + "/api/collections?surface=home&date=" + Demos.today() + "'");
        console.info("  curl -s " + ingest + Demos.SCHEDULER);
        console.info("  kill -9 " + services.named("agent-processor").pid() + "   # a processor crashes: it is restarted, its jobs finish");
        console.info("  curl -s -X POST " + ingest + Workload.WEBHOOK + " -H 'Content-Type: application/json' \\\n"
                + "       -d '[{\"id\":\"my-post-1\",\"author\":\"me\",\"text\":\"Trying jobstream on my laptop\"}]'");
    }

    private static void row(Console console, String label, String format, Object... values) {
        console.info(String.format(Locale.ROOT, "  %-20s ", label) + String.format(Locale.ROOT, format, values));
    }
}
