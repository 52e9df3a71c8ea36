package io.jobstream.ingest.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.ingest.support.IngestWithWorker;
import io.jobstream.meteredworker.MeteredWorker;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;

/**
 * {@code scripts/monitor.sh URL --once} against a running ingest-service and worker: one job held at
 * 40 % in step "resize", two completed, one failed for good. The frame shows the queue's totals, the
 * active job with its bar and step, and the failure with its reason.
 */
class MonitorScriptIT {

    private static final String QUEUE = "monitored";
    private static final String[] QUEUE_ARGS = {"--jobstream.queues.monitored.partitions=1", "--metered-worker.queue=" + QUEUE};
    private static final Path SCRIPT = Path.of("..", "scripts", "monitor.sh");

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path ingestDir;
    @TempDir
    static Path workerDir;

    static IngestWithWorker services;
    static IngestInstance ingest;

    @BeforeAll
    static void start() {
        services = IngestWithWorker.start(kafka.bootstrapServers(), "monitor", ingestDir, workerDir, QUEUE_ARGS, QUEUE_ARGS);
        ingest = services.ingest();
    }

    @AfterAll
    static void stop() {
        MeteredWorker.RELEASE.countDown();
        if (services != null) {
            services.close();
        }
    }

    @Test
    void oneFrameShowsTotalsActiveJobsWithProgressAndRecentFailures() throws Exception {
        add("done-1", "{}");
        add("done-2", "{}");
        add("broken-1", "{\"fail\": true}");
        add("held-1", "{\"hold\": true, \"progress\": 40, \"step\": \"resize\"}");
        awaitStatus("done-1", "completed");
        awaitStatus("done-2", "completed");
        awaitStatus("broken-1", "failed");
        Await.until(Duration.ofSeconds(60), "held-1 to report its progress",
                () -> Http.get(ingest.uri("/api/jobs/held-1")).body().path("job").path("progress").asInt() == 40);
        Await.until(Duration.ofSeconds(30), "the queue's counts to follow",
                () -> Http.get(ingest.uri("/api/queues/" + QUEUE)).body().path("queue").path("completed").asInt() == 2);

        Run run = monitor(ingest.uri("").toString(), "--once");
        Files.writeString(Path.of("target", "monitor-once.txt"), run.output());

        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> lines = run.output().lines().toList();
        assertThat(lines.getFirst()).startsWith("jobstream monitor").contains(ingest.uri("").toString());
        assertThat(lines).anyMatch(line -> line.matches(
                "QUEUE\\s+WAITING\\s+ACTIVE\\s+COMPLETED\\s+FAILED\\s+DELAYED\\s+PAUSED\\s+DEAD\\s+TOTAL"));
        // waiting, active, completed, failed, delayed, paused, dead-lettered, total
        assertThat(lines).anyMatch(line -> line.matches(QUEUE + "\\s+0\\s+1\\s+2\\s+1\\s+0\\s+0\\s+1\\s+4"));
        assertThat(lines).contains("Active jobs (1)");
        assertThat(lines).anyMatch(line -> line.matches("\\s+held-1\\s+" + QUEUE + "\\s+\\[█{8}░{12}]\\s+40%\\s+resize"));
        assertThat(lines).contains("Recent failures (1)");
        assertThat(lines).anyMatch(line -> line.contains("broken-1") && line.contains("bad input broken-1"));
    }

    @Test
    void anUnreachableServiceIsAnErrorNotAnEmptyFrame() throws Exception {
        Run run = monitor("http://localhost:" + FreePorts.next(), "--once");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("cannot read");
    }

    private static void add(String jobId, String data) {
        Http.Response added = Http.postJson(ingest.uri("/api/queues/" + QUEUE + "/jobs"),
                "{\"name\": \"monitor\", \"data\": " + data + ", \"opts\": {\"jobId\": \"" + jobId + "\", \"attempts\": 1}}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
    }

    private static void awaitStatus(String jobId, String status) {
        Await.until(Duration.ofSeconds(60), jobId + " to be " + status, () -> status.equals(
                Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job").path("status").asString()));
    }

    private static Run monitor(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
        builder.command().addAll(List.of(args));
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("monitor.sh --once ends").isTrue();
        return new Run(process.exitValue(), output);
    }

    private record Run(int exitCode, String output) {
    }
}
