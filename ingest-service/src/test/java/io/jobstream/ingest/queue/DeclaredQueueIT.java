package io.jobstream.ingest.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.retry.TransientJobException;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.thumbnails.ThumbnailWorker;
import tools.jackson.databind.JsonNode;

/**
 * A queue that exists only in configuration ({@code jobstream.queues.thumbnails}, given to both
 * services) and one handler bean ({@link ThumbnailWorker}): no schema, no ingest code. Jobs go in
 * through BullMQ's add-job API and come out COMPLETED, with every option honoured.
 */
class DeclaredQueueIT {

    private static final String WORKER_APP = "thumbnail-worker-test";
    /** The queue's own back-off is long: a job that retries quickly proves its per-job back-off won. */
    private static final String[] QUEUE = {
            "--jobstream.queues.thumbnails.partitions=1",
            "--jobstream.queues.thumbnails.concurrency=1",
            "--jobstream.queues.thumbnails.retry.attempts=2",
            "--jobstream.queues.thumbnails.retry.base-delay=60s",
            "--jobstream.queues.thumbnails.retry.backoff=fixed"};

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path workerDir;

    static IngestInstance ingest;
    static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() {
        String[] ingestArgs = concat(QUEUE, "--jobstream.ingest.jobs.max-data-size=2KB");
        ingest = IngestInstance.start(kafka.bootstrapServers(), "declared-queue-ingest", ingestDir, 0, ingestArgs);
        worker = new SpringApplicationBuilder(ThumbnailWorker.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=thumbnail-worker")
                .run(concat(QUEUE,
                        "--jobstream.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--jobstream.kafka.application-id=" + WORKER_APP,
                        "--jobstream.kafka.application-server=localhost:1",
                        "--jobstream.kafka.data-dir=" + workerDir,
                        "--jobstream.kafka.standby-replicas=0",
                        "--jobstream.kafka.commit-interval=100ms"));
        ManagedStreams workerStreams = worker.getBean(ManagedStreams.class);
        Await.until(Duration.ofSeconds(60), "both services to run",
                () -> ingest.isRunning() && workerStreams.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        worker.close();
        ingest.close();
    }

    @Test
    void aJobAddedByNameRunsThroughTheHandlerBeanWithItsResultAndLogs() {
        Http.Response added = add("""
                {"name": "resize", "data": {"image": "cat.png"}}""");


        assertThat(added.status()).isEqualTo(201);
        assertThat(added.body().path("success").asBoolean()).isTrue();
        assertThat(added.body().path("queue").asString()).isEqualTo("thumbnails");
        assertThat(added.body().path("name").asString()).isEqualTo("resize");
        assertThat(added.body().path("duplicate").asBoolean()).isFalse();
        String jobId = added.body().path("jobId").asString();
        JsonNode job = awaitStatus(jobId, "completed");
        assertThat(job.path("type").asString()).isEqualTo("resize");
        assertThat(job.path("returnValue").path("thumbnail").asString()).isEqualTo("cat.png.thumb.png");
        assertThat(job.path("data").path("image").asString()).isEqualTo("cat.png");

        JsonNode logs = Http.get(ingest.uri("/api/jobs/" + jobId + "/logs")).body();
        assertThat(logs.path("count").asInt()).isEqualTo(1);
        assertThat(logs.path("logs").get(0).path("line").asString()).isEqualTo("resizing cat.png");
    }

    @Test
    void aDelayedJobKeepsItsIdAgainstDuplicatesUntilPromoted() {
        Instant before = Instant.now();
        Http.Response first = add("""
                {"name": "resize", "data": {"image": "later.png"}, "opts": {"jobId": "thumb-later", "delay": 600000}}""");
        assertThat(first.status()).isEqualTo(201);
        JsonNode delayed = awaitStatus("thumb-later", "delayed");
        assertThat(Instant.parse(delayed.path("delayedUntil").asString())).isAfter(before.plus(Duration.ofMinutes(9)));

        Http.Response again = add("""
                {"name": "resize", "data": {"image": "other.png"}, "opts": {"jobId": "thumb-later"}}""");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body().path("duplicate").asBoolean()).isTrue();
        assertThat(again.body().path("jobId").asString()).isEqualTo("thumb-later");

        assertThat(Http.postJson(ingest.uri("/api/jobs/thumb-later/promote"), "").status()).isEqualTo(200);
        JsonNode done = awaitStatus("thumb-later", "completed");
        assertThat(done.path("returnValue").path("thumbnail").asString()).isEqualTo("later.png.thumb.png");
        assertThat(ThumbnailWorker.HANDLED).doesNotContain("other.png");
        assertThat(Http.postJson(ingest.uri("/api/jobs/thumb-later/promote"), "").status()).isEqualTo(409);
    }

    @Test
    void perJobAttemptsAndBackoffOverrideTheQueueDefaults() {
        // Two failures, three attempts, 100 ms apart: the queue alone would allow two attempts a minute apart.
        add("""
                {"name": "resize", "data": {"image": "flaky.png", "failTimes": 2},
                 "opts": {"jobId": "thumb-flaky", "attempts": 3, "backoff": {"type": "fixed", "delay": 100}}}""");

        JsonNode job = awaitStatus("thumb-flaky", "completed");

        assertThat(job.path("attemptsMade").asInt()).isEqualTo(3);
        assertThat(job.path("maxAttempts").asInt()).isEqualTo(3);
        assertThat(job.path("returnValue").path("attempt").asInt()).isEqualTo(3);

        // Each failed attempt, in order, with the handler's error and stack, and that it was retried.
        Http.Response history = Http.get(ingest.uri("/api/jobs/thumb-flaky/attempts"));
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().path("count").asInt()).isEqualTo(2);
        JsonNode attempts = history.body().path("attempts");
        for (int attempt = 1; attempt <= 2; attempt++) {
            JsonNode failure = attempts.get(attempt - 1);
            assertThat(failure.path("attempt").asInt()).isEqualTo(attempt);
            assertThat(failure.path("outcome").asString()).isEqualTo("retried");
            assertThat(failure.path("errorClass").asString()).isEqualTo(TransientJobException.class.getName());
            assertThat(failure.path("message").asString()).isEqualTo("renderer busy (attempt " + attempt + ")");
            assertThat(failure.path("stack").asString())
                    .startsWith(TransientJobException.class.getName() + ": renderer busy (attempt " + attempt + ")")
                    .contains("at " + ThumbnailWorker.class.getName() + ".lambda$");
        }
        assertThat(Instant.parse(attempts.get(0).path("failedAt").asString()))
                .isBeforeOrEqualTo(Instant.parse(attempts.get(1).path("failedAt").asString()));
    }

    @Test
    void failedJobsAreRetriedTogetherAndFinishedOnesRemoved() {
        assertThat(add("""
                {"name": "resize", "data": {"image": "broken.png", "failUntilHealed": true},
                 "opts": {"jobId": "thumb-broken", "attempts": 1}}""").status()).isEqualTo(201);
        awaitStatus("thumb-broken", "failed");
        assertThat(Http.send(Http.delete(ingest.uri("/api/jobs/thumb-missing?remove=true"))).status()).isEqualTo(404);

        ThumbnailWorker.HEALED.set(true);
        Http.Response retried = Http.postJson(ingest.uri("/api/queues/thumbnails/retry-failed"), "");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().path("jobIds").toString()).contains("thumb-broken");
        awaitStatus("thumb-broken", "completed");

        assertThat(Http.send(Http.delete(ingest.uri("/api/jobs/thumb-broken?remove=true"))).status()).isEqualTo(200);
        Await.until(Duration.ofSeconds(30), "the removed job to be gone",
                () -> Http.get(ingest.uri("/api/jobs/thumb-broken")).status() == 404);
        assertThat(Http.get(ingest.uri("/api/jobs/thumb-broken/attempts")).status()).isEqualTo(404);
    }

    @Test
    void removeOnCompleteForgetsTheJobOnceItCompletesAndRemoveOnFailOnceItFails() {
        add("""
                {"name": "resize", "data": {"image": "forget.png"}, "opts": {"jobId": "thumb-forget", "removeOnComplete": true}}""");
        add("""
                {"name": "resize", "data": {"image": "forget-failed.png", "failTimes": 9},
                 "opts": {"jobId": "thumb-forget-failed", "attempts": 1, "removeOnFail": true}}""");
        add("""
                {"name": "resize", "data": {"image": "kept.png"}, "opts": {"jobId": "thumb-kept", "removeOnFail": true}}""");

        awaitStatus("thumb-kept", "completed");
        Await.until(Duration.ofSeconds(45), "both jobs run and forgotten",
                () -> ThumbnailWorker.ATTEMPTED.containsAll(List.of("forget.png", "forget-failed.png"))
                        && Http.get(ingest.uri("/api/jobs/thumb-forget")).status() == 404
                        && Http.get(ingest.uri("/api/jobs/thumb-forget-failed")).status() == 404);
        assertThat(Http.get(ingest.uri("/api/jobs/thumb-kept")).status()).isEqualTo(200);
    }

    @Test
    void prioritiesOrderJobsThatWaitTogether() {
        assertThat(Http.postJson(ingest.uri("/api/queues/thumbnails/pause"), "").status()).isEqualTo(200);
        Http.Response bulk = Http.postJson(ingest.uri("/api/queues/thumbnails/jobs/bulk"), """
                [{"name": "resize", "data": {"image": "p3"}, "opts": {"priority": 3}},
                 {"name": "resize", "data": {"image": "p1"}, "opts": {"priority": 1}},
                 {"name": "resize", "data": {"image": "p2"}, "opts": {"priority": 2}}]""");
        assertThat(bulk.status()).isEqualTo(201);
        assertThat(bulk.body().path("count").asInt()).isEqualTo(3);
        awaitWorkerConsumedEverything();

        Http.postJson(ingest.uri("/api/queues/thumbnails/resume"), "");

        Await.until(Duration.ofSeconds(30), "the three prioritized jobs to run",
                () -> ThumbnailWorker.HANDLED.containsAll(List.of("p1", "p2", "p3")));
        List<String> order = ThumbnailWorker.HANDLED.stream().filter(image -> image.matches("p\\d")).toList();
        assertThat(order).containsExactly("p1", "p2", "p3");
    }

    @Test
    void badJobsAreRefusedNamingTheFieldAndNothingIsPublished() {
        assertError(add("""
                {"data": {"image": "x"}}"""), 400, "name");
        assertError(add("""
                {"name": "resize", "data": [1, 2]}"""), 400, "data");
        assertError(add("""
                {"name": "resize", "opts": {"priority": -1}}"""), 400, "opts.priority");
        assertError(add("""
                {"name": "resize", "opts": {"backoff": {"type": "linear", "delay": 5}}}"""), 400, "opts.backoff.type");
        assertError(add("{\"name\": \"resize\", \"data\": {\"image\": \"" + "x".repeat(3000) + "\"}}"), 413, "data");
        assertError(Http.postJson(ingest.uri("/api/queues/no-such-queue/jobs"), """
                {"name": "resize"}"""), 404, null);

        Http.Response bulk = Http.postJson(ingest.uri("/api/queues/thumbnails/jobs/bulk"), """
                {"jobs": [{"name": "resize", "opts": {"jobId": "bulk-never-0"}}, {"data": {}}]}""");
        assertError(bulk, 400, "jobs[1].name");
        assertThat(Http.get(ingest.uri("/api/jobs/bulk-never-0")).status()).isEqualTo(404);
    }

    @Test
    void anAvroQueueChecksJobDataAgainstItsSchema() {
        // The embedding queue's jobs carry EmbeddingRequested: entityType is required, priority a number.
        assertError(Http.postJson(ingest.uri("/api/queues/embedding/jobs"), """
                {"name": "product-embedding", "data": {"entityId": "p-1"}}"""), 400, "data.entityType");
        assertError(Http.postJson(ingest.uri("/api/queues/embedding/jobs"), """
                {"name": "product-embedding", "data": {"entityType": "product", "entityId": "p-1", "priority": "high"}}"""),
                400, "data.priority");
    }

    private static void assertError(Http.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.body().path("success").asBoolean()).isFalse();
        if (field != null) {
            assertThat(response.body().path("error").path("field").asString()).as(response.toString()).isEqualTo(field);
        }
    }

    private static Http.Response add(String json) {
        return Http.postJson(ingest.uri("/api/queues/thumbnails/jobs"), json);
    }

    private static JsonNode awaitStatus(String jobId, String status) {
        Await.until(Duration.ofSeconds(45), jobId + " to be " + status, () -> {
            Http.Response response = Http.get(ingest.uri("/api/jobs/" + jobId));
            return response.status() == 200 && status.equals(response.body().path("job").path("status").asString());
        });
        return Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job");
    }

    /** The worker has read (and committed, under exactly-once) every record on the queue's topic. */
    private static void awaitWorkerConsumedEverything() {
        TopicPartition partition = new TopicPartition("thumbnails.requests", 0);
        Await.until(Duration.ofSeconds(30), "the worker to consume thumbnails.requests", () -> {
            try {
                long end = kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest()))
                        .partitionResult(partition).get(10, TimeUnit.SECONDS).offset();
                OffsetAndMetadata committed = kafka.admin().listConsumerGroupOffsets(WORKER_APP)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).get(partition);
                // Under exactly-once the end offset counts the last transaction's marker too.
                return committed != null && committed.offset() >= end - 1;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
