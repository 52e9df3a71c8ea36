package io.jobstream.local;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jobstream.ai.embedding.LocalMiniLmEmbeddings;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedding pipeline against its own model, in one run on this machine: first the bundled
 * model alone, in-process and batched (the ceiling), then the whole pipeline on the same texts
 * (webhook → Kafka → embedding-processor → pgvector, with the broker, PostgreSQL and both services
 * on the same cores). Prints both rates and their ratio; the target is ratio ≥ 0.9.
 *
 * <p>Run on demand: {@code scripts/bench-embedding.sh [posts]} (default 5,000). Not a test: the
 * figures depend on the machine and on whatever else runs on it.
 */
public final class EmbeddingBenchmark {

    private static final int DEFAULT_POSTS = 5_000;
    private static final int MODEL_BATCH = 32;
    private static final int WARM_UP = 256;
    private static final long POLL_MILLIS = 100;
    private static final Duration STALL_LIMIT = Duration.ofMinutes(10);

    private EmbeddingBenchmark() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_POSTS;
        Console console = Console.system();
        JsonMapper json = JsonMapper.builder().build();
        List<DemoPost> posts = variants(DemoPost.loadDemo(json), count);

        console.heading("Raw model: " + LocalMiniLmEmbeddings.MODEL_ID + ", in-process, batches of " + MODEL_BATCH);
        double raw = rawModelRate(posts);
        console.info(String.format(Locale.ROOT, "  %.0f texts/s", raw));

        Teardown teardown = new Teardown(console);
        Runtime.getRuntime().addShutdownHook(new Thread(teardown::stopAll, "benchmark-shutdown"));
        try {
            double pipeline = pipelineRate(posts, json, console, teardown);
            console.heading("Result");
            console.info(String.format(Locale.ROOT, "  raw model        %8.0f texts/s", raw));
            console.info(String.format(Locale.ROOT, "  whole pipeline   %8.0f posts/s (webhook → vectors in PostgreSQL)", pipeline));
            console.info(String.format(Locale.ROOT, "  ratio            %8.2f (target ≥ 0.90)", pipeline / raw));
        } finally {
            teardown.stopAll();
        }
    }

    private static double rawModelRate(List<DemoPost> posts) {
        List<String> texts = posts.stream().map(DemoPost::text).toList();
        try (LocalMiniLmEmbeddings model = new LocalMiniLmEmbeddings()) {
            model.embed(texts.subList(0, Math.min(WARM_UP, texts.size())));
            long start = System.nanoTime();
            for (int from = 0; from < texts.size(); from += MODEL_BATCH) {
                model.embed(texts.subList(from, Math.min(texts.size(), from + MODEL_BATCH)));
            }
            return texts.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double pipelineRate(List<DemoPost> posts, JsonMapper json, Console console, Teardown teardown) {
        Http http = new Http(json);
        Workspace workspace = Workspace.create();
        teardown.add("temporary files", workspace);
        console.heading("Infrastructure");
        Infrastructure infrastructure = Infrastructure.start(workspace, teardown, console);
        console.heading("Services");
        Services services = Services.start(LocalRun.repository(), infrastructure, workspace, teardown, console, http);
        console.heading("Pipeline: " + posts.size() + " posts through the webhook");
        Workload.Submitted submitted = Workload.submit(posts, http, services.ingest().uri(Workload.WEBHOOK), console);
        double seconds = secondsUntilEmbedded(http, services.ingest(), submitted.accepted(), submitted.startedNanos());
        console.info(String.format(Locale.ROOT, "  %d vectors in PostgreSQL %.1f s after the first webhook call",
                submitted.accepted(), seconds));
        return submitted.accepted() / seconds;
    }

    /**
     * The pipeline's end is the last vector in PostgreSQL (seed 000's posts_with_embeddings), not the
     * job-status counts, which trail it while the status store catches up on the same cores.
     */
    private static double secondsUntilEmbedded(Http http, ServiceProcess ingest, long expected, long startedNanos) {
        long deadline = System.nanoTime() + STALL_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Http.Response stats = http.get(ingest.uri(ProgressMonitor.STATS));
                if (stats.status() == 200 && stats.body().path("database").path("posts_with_embeddings").asLong() >= expected) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
                Thread.sleep(POLL_MILLIS);
            } catch (IOException e) {
                throw new LaunchException("ingest-service stopped answering: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted", e);
            }
        }
        throw new LaunchException("not every post was embedded within " + STALL_LIMIT.toMinutes() + " minutes");
    }

    /** As many distinct posts as asked, cycling through the demo texts with a numbered suffix. */
    private static List<DemoPost> variants(List<DemoPost> demo, int count) {
        List<DemoPost> posts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DemoPost base = demo.get(i % demo.size());
            posts.add(new DemoPost("bench-" + i, base.url() + "?v=" + i, base.author(),
                    base.text() + " (#" + i + ")", base.timestamp()));
        }
        return posts;
    }
}
