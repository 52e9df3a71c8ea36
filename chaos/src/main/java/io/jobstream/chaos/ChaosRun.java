package io.jobstream.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.TempDirs;
import io.jobstream.topics.TopicCatalog;

/**
 * The chaos run ({@code scripts/chaos.sh}): the whole stack as processes, a mixed workload for a few minutes,
 * faults at seeded random moments, then a count of what happened to every job. Exits 1 when anything was lost,
 * doubled, stuck or not recovered from, 2 on bad arguments.
 */
public final class ChaosRun {

    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);
    private static final Duration OUTPUT_CATCH_UP = Duration.ofSeconds(60);
    private static final Duration SUPERVISOR_PERIOD = Duration.ofSeconds(1);

    private ChaosRun() {
    }

    public static void main(String[] args) throws Exception {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = TempDirs.create("jobstream-chaos-");
        // PostgreSQL runs as its own service user, which must be able to reach its directory below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        System.out.printf("chaos run: seed %d (repeat with --seed %d), files in %s%n", options.seed(), options.seed(), dir);
        boolean passed;
        try {
            passed = run(options, Path.of("").toAbsolutePath(), dir);
        } catch (RuntimeException | AssertionError e) {
            log.error("the chaos run stopped", e);
            passed = false;
        }
        System.out.println(passed ? "logs and data deleted" : "logs kept in " + dir);
        if (passed) {
            TempDirs.deleteQuietly(dir);
        }
        System.exit(passed ? 0 : 1);
    }

    private static boolean run(ChaosOptions options, Path repository, Path dir) throws Exception {
        Http http = new Http();
        Random random = new Random(options.seed());
        Stack started = Stack.start(dir, repository, http);
        // Ctrl-C or a kill stops the whole stack, PostgreSQL included, and no instance is restarted meanwhile.
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "chaos-stack-cleanup"));
        try (Stack stack = started;
             JobLedger ledger = new JobLedger(stack.broker.bootstrapServers());
             Outputs outputs = new Outputs(stack.broker.bootstrapServers())) {
            Workload workload = new Workload(stack.of(ServiceKind.INGEST), http, random.nextLong());
            Instant start = Instant.now();
            List<FaultRunner.Lane> lanes = FaultRunner.plan(stack, options, start, random);
            lanes.forEach(lane -> {
                for (int i = 0; i < lane.faults().size(); i++) {
                    log.info("planned at +{} s: {}", Duration.between(start, lane.moments().get(i)).toSeconds(),
                            lane.faults().get(i).name());
                }
            });
            AtomicBoolean faultsDone = new AtomicBoolean();
            AtomicReference<List<FaultResult>> results = new AtomicReference<>(List.of());
            Thread faulting = Thread.ofPlatform().name("faults").start(() -> {
                try {
                    results.set(new FaultRunner(stack, workload, ledger).run(lanes));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    faultsDone.set(true);
                }
            });
            Thread supervisor = Thread.ofPlatform().daemon().name("supervisor").start(() -> supervise(stack));
            Instant workloadEnd = start.plus(options.duration());
            workload.run(() -> Instant.now().isBefore(workloadEnd) || !faultsDone.get());
            faulting.join();
            workload.close();
            log.info("workload done after {} s: {} jobs acknowledged; draining", Duration.between(start, Instant.now())
                    .toSeconds(), workload.submitted().size());

            List<Submitted> submitted = drain(workload, ledger, options.drain());
            awaitOutputs(submitted, ledger, outputs);
            supervisor.interrupt();
            Tally tally = Tally.count(submitted, ledger.jobs(), Map.of(
                            TopicCatalog.EMBEDDINGS_STORED, outputs.perJob(TopicCatalog.EMBEDDINGS_STORED),
                            TopicCatalog.CHAT_RESPONSES, outputs.perJob(TopicCatalog.CHAT_RESPONSES),
                            TopicCatalog.DOCUMENTS_INGESTED, outputs.perJob(TopicCatalog.DOCUMENTS_INGESTED)),
                    stack.receiver.deliveries(), activeJobs(stack, http), databaseRows(stack, submitted, ledger));
            Report.print(System.out, options, start, results.get(), tally, stack.selfExits(), workload.unacknowledged());
            return tally.passed() && results.get().stream().allMatch(result -> result.recovered() != null);
        }
    }

    private static void supervise(Stack stack) {
        while (!Thread.currentThread().isInterrupted()) {
            stack.restartExited();
            try {
                Thread.sleep(SUPERVISOR_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Every acknowledged job and every scheduler tick, once all have finished or {@code limit} has passed. */
    private static List<Submitted> drain(Workload workload, JobLedger ledger, Duration limit) {
        List<Submitted> submitted = new ArrayList<>(workload.submitted());
        ledger.jobs().forEach((jobId, events) -> {
            if (jobId.startsWith(Workload.TICK_SCHEDULER + ":")) {
                submitted.add(new Submitted(jobId, JobKind.TICK, events.getFirst().at()));
            }
        });
        try {
            List<String> jobIds = submitted.stream().map(Submitted::jobId).toList();
            Await.until(limit, "every job finished", () -> ledger.allFinished(jobIds));
        } catch (AssertionError notAll) {
            log.error("not every job finished within {} s of the drain", limit.toSeconds());
        }
        return submitted;
    }

    /** A completed job's output commits with its COMPLETED event: wait until the output tails have read them. */
    private static void awaitOutputs(List<Submitted> submitted, JobLedger ledger, Outputs outputs) {
        Map<String, List<JobLedger.Event>> jobs = ledger.jobs();
        List<Submitted> withOutput = submitted.stream().filter(job -> job.kind().outputTopic != null)
                .filter(job -> JobLedger.state(jobs.getOrDefault(job.jobId(), List.of())) == JobState.COMPLETED)
                .toList();
        try {
            Await.until(OUTPUT_CATCH_UP, "the output topics read up to the completed jobs", () -> {
                Map<String, Map<String, Integer>> seen = Map.of(
                        TopicCatalog.EMBEDDINGS_STORED, outputs.perJob(TopicCatalog.EMBEDDINGS_STORED),
                        TopicCatalog.CHAT_RESPONSES, outputs.perJob(TopicCatalog.CHAT_RESPONSES),
                        TopicCatalog.DOCUMENTS_INGESTED, outputs.perJob(TopicCatalog.DOCUMENTS_INGESTED));
                return withOutput.stream().allMatch(job -> seen.get(job.kind().outputTopic).containsKey(job.jobId()));
            });
        } catch (AssertionError missing) {
            log.error("some completed jobs have no output record after {} s", OUTPUT_CATCH_UP.toSeconds());
        }
    }

    /** Jobs in the active state across every queue, from an ingest instance; -1 when none answers. */
    private static long activeJobs(Stack stack, Http http) {
        for (Instance ingest : stack.of(ServiceKind.INGEST)) {
            Http.Response queues = http.get(ingest.uri("/api/queues"));
            if (queues.ok()) {
                long active = 0;
                for (var queue : queues.body().path("queues")) {
                    active += queue.path("active").asLong();
                }
                if (active != 0) {
                    // The counts and the statuses are kept apart: say which jobs the statuses hold as active, if any.
                    log.error("queues count {} active jobs; queues {}; active jobs by status {}", active,
                            queues.body().path("queues"), http.get(ingest.uri("/api/jobs?state=active&limit=20")).body());
                }
                return active;
            }
        }
        return -1;
    }

    /** Completed documents and enrichments without their row, and completed posts without their vector. */
    private static Map<String, Long> databaseRows(Stack stack, List<Submitted> submitted, JobLedger ledger) {
        Map<String, List<JobLedger.Event>> jobs = ledger.jobs();
        long documents = completed(submitted, jobs, JobKind.DOCUMENT);
        long posts = completed(submitted, jobs, JobKind.POST);
        long enrichments = completed(submitted, jobs, JobKind.ENRICHMENT);
        long documentRows = stack.count("SELECT count(*) FROM documents WHERE document_id LIKE 'chaos-doc-%'");
        long enrichmentRows = stack.count("SELECT count(*) FROM product_enrichments WHERE product_id LIKE 'chaos-product-%'");
        long postVectors = stack.count("SELECT count(DISTINCT entity_id) FROM embeddings WHERE entity_type = 'post'"
                + " AND entity_id LIKE 'chaos-post-%'");
        return Map.of("completed documents without their documents row", Math.max(0, documents - documentRows),
                "completed enrichments without their product_enrichments row", Math.max(0, enrichments - enrichmentRows),
                "completed posts without their vector", Math.max(0, posts - postVectors));
    }

    private static long completed(List<Submitted> submitted, Map<String, List<JobLedger.Event>> jobs, JobKind kind) {
        return submitted.stream().filter(job -> job.kind() == kind).map(Submitted::jobId).distinct()
                .filter(id -> JobLedger.state(jobs.getOrDefault(id, List.of())) == JobState.COMPLETED)
                .count();
    }
}
