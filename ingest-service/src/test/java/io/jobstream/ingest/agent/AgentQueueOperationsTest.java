package io.jobstream.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.flow.FlowTracker;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.ChatRequested;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * Seed 001's queue operations (cancel, retry, pause, resume, clean) on jobs a real agent.chat worker
 * runs, with batches tracked as flows. The worker's handler stands in for the agent: it answers
 * "echo", fails permanently on messages marked broken, and blocks on messages that ask it to.
 */
class AgentQueueOperationsTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path workerDir;

    static final Set<String> broken = ConcurrentHashMap.newKeySet();
    static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    static final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    static IngestInstance ingest;
    static ManagedStreams worker;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-agent-operations-test", ingestDir, 0);
        StreamsBuilder builder = new StreamsBuilder();
        FlowTracker.forQueue(TopicCatalog.AGENT_CHAT).addTo(builder);
        Topology topology = QueueWorker.forQueue(TopicCatalog.AGENT_CHAT, AvroSerde.of(ChatRequested.class), job -> {
                    String message = job.data().getMessage();
                    calls.computeIfAbsent(message, m -> new AtomicInteger()).incrementAndGet();
                    if (broken.contains(message)) {
                        throw new PermanentJobException("model rejected " + message);
                    }
                    if (message.startsWith("block")) {
                        try {
                            Thread.sleep(Duration.ofSeconds(30));
                        } catch (InterruptedException e) {
                            interrupted.add(message);
                            throw e;
                        }
                    }
                    return "{\"response\":\"echo " + message + "\",\"sessionId\":\"" + job.data().getSessionId() + "\"}";
                })
                .concurrency(AsyncStepSettings.of(8, Duration.ofSeconds(40)))
                .retry(new RetryPolicy(2, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.1))
                .output(TopicCatalog.CHAT_RESPONSES, new StringSerializer(), (job, in, out) -> KeyValue.pair(in.getSessionId(), out))
                .returnValue(json -> json)
                .build()
                .addTo(builder.build());
        worker = new ManagedStreams(topology, new StreamsProperties(kafka.bootstrapServers(), "agent-operations-test-worker", "",
                workerDir, 0, Duration.ofMillis(100), 1, Duration.ofSeconds(10)), TopicCatalog.all());
        worker.start();
        Await.until(Duration.ofSeconds(60), "the job-status store running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        worker.stop();
        ingest.close();
    }

    @AfterEach
    void resume() {
        post("/agent/queue/resume");
    }

    @Test
    void pauseHoldsNewJobsAsPausedAndResumeRunsThem() {
        Http.Response paused = post("/agent/queue/pause");
        assertThat(paused.status()).isEqualTo(201);
        assertThat(paused.body().toString()).isEqualTo("{\"success\":true,\"message\":\"Queue paused\"}");

        String jobId = chat("held while paused");
        Await.until(WAIT, "the job shown as paused", () -> status(jobId).equals("paused"));
        Await.until(WAIT, "the job counted as paused", () -> get("/agent/queue/stats").body().get("stats").get("paused").asLong() >= 1);
        assertThat(get("/agent/queue/stats").body().get("stats").get("waiting").asLong()).isZero();
        assertThat(calls).doesNotContainKey("held while paused");

        Http.Response resumed = post("/agent/queue/resume");
        assertThat(resumed.body().toString()).isEqualTo("{\"success\":true,\"message\":\"Queue resumed\"}");
        Await.until(WAIT, "the job completed after resume", () -> status(jobId).equals("completed"));
    }

    @Test
    void cancelledWaitingJobsNeverRunAndAnActiveJobIsInterrupted() {
        post("/agent/queue/pause");
        String waiting = chat("cancelled while waiting");
        Await.until(WAIT, "the waiting job held", () -> status(waiting).equals("paused"));

        Http.Response cancelled = delete("/agent/queue/job/" + waiting);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().toString()).isEqualTo("{\"success\":true,\"message\":\"Job cancelled successfully\"}");
        Await.until(WAIT, "the job cancelled", () -> status(waiting).equals("cancelled"));
        post("/agent/queue/resume");
        String after = chat("runs after the resume");
        Await.until(WAIT, "a later job completed", () -> status(after).equals("completed"));
        assertThat(calls).doesNotContainKey("cancelled while waiting");

        String active = chat("block until cancelled");
        Await.until(WAIT, "the blocking job active", () -> status(active).equals("active"));
        assertThat(delete("/agent/queue/job/" + active).status()).isEqualTo(200);
        Await.until(WAIT, "the active job's call interrupted", () -> interrupted.contains("block until cancelled"));
        assertThat(status(active)).isEqualTo("cancelled");
        Http.Response again = delete("/agent/queue/job/" + active);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("success").asBoolean()).isFalse();
        assertThat(delete("/agent/queue/job/no-such-job").status()).isEqualTo(404);
    }

    @Test
    void aFailedJobIsRetriedWithItsOriginalPayload() {
        broken.add("retry me");
        String jobId = chat("retry me");
        Await.until(WAIT, "the job failed", () -> status(jobId).equals("failed"));
        JsonNode failed = get("/agent/queue/job/" + jobId + "/result").body();
        assertThat(failed.get("message").asString()).isEqualTo("Job failed");
        assertThat(failed.get("error").asString()).isEqualTo("model rejected retry me");
        broken.remove("retry me");

        Http.Response retried = post("/agent/queue/job/" + jobId + "/retry");

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.body().toString()).isEqualTo("{\"success\":true,\"message\":\"Job retry initiated\"}");
        Await.until(WAIT, "the job completed on retry", () -> status(jobId).equals("completed"));
        assertThat(get("/agent/queue/job/" + jobId + "/result").body().get("result").get("response").asString())
                .isEqualTo("echo retry me");
        assertThat(post("/agent/queue/job/" + jobId + "/retry").status()).as("a completed job").isEqualTo(409);
    }

    @Test
    void aBatchFailsNamingItsFailedMessageAndItsRetryRerunsOnlyThatOne() {
        broken.add("batch two");
        String parent = post("/agent/queue/batch", "{\"messages\": [{\"message\": \"batch one\"}, {\"message\": \"batch two\"}, "
                + "{\"message\": \"batch three\"}], \"userId\": \"user123\"}").body().get("jobId").asString();
        Await.until(WAIT, "the batch failed", () -> status(parent).equals("failed"));
        JsonNode failed = get("/agent/queue/job/" + parent + "/result").body();
        assertThat(failed.get("error").asString()).startsWith("child job " + parent + ":2 (2 of 3) failed: ")
                .contains("model rejected batch two");
        broken.remove("batch two");

        assertThat(post("/agent/queue/job/" + parent + "/retry").status()).isEqualTo(201);

        Await.until(WAIT, "the batch completed after the retry", () -> status(parent).equals("completed"));
        JsonNode results = get("/agent/queue/job/" + parent + "/result").body().get("result").get("results");
        assertThat(results.valueStream().map(r -> r.get("response").asString()).toList())
                .containsExactly("echo batch one", "echo batch two", "echo batch three");
        assertThat(calls.get("batch one").get()).as("a completed message is not run again").isEqualTo(1);
        assertThat(calls.get("batch two").get()).isEqualTo(2);
        JsonNode job = get("/agent/queue/job/" + parent).body().get("job");
        assertThat(job.get("progress").asInt()).isEqualTo(100);
    }

    @Test
    void cancellingABatchCancelsItsWaitingMessages() {
        post("/agent/queue/pause");
        String parent = post("/agent/queue/batch", "{\"messages\": [{\"message\": \"never one\"}, {\"message\": \"never two\"}]}")
                .body().get("jobId").asString();
        Await.until(WAIT, "both messages held", () -> status(parent + ":1").equals("paused") && status(parent + ":2").equals("paused"));

        assertThat(delete("/agent/queue/job/" + parent).status()).isEqualTo(200);

        Await.until(WAIT, "batch and messages cancelled", () -> status(parent).equals("cancelled")
                && status(parent + ":1").equals("cancelled") && status(parent + ":2").equals("cancelled"));
        post("/agent/queue/resume");
        String after = chat("after the cancelled batch");
        Await.until(WAIT, "a later job completed", () -> status(after).equals("completed"));
        assertThat(calls).doesNotContainKeys("never one", "never two");
    }

    @Test
    void cleanRemovesFinishedJobsOlderThanTheGivenMilliseconds() throws InterruptedException {
        String jobId = chat("soon cleaned");
        Await.until(WAIT, "the job completed", () -> status(jobId).equals("completed"));

        Http.Response kept = post("/agent/queue/clean");
        assertThat(kept.status()).isEqualTo(201);
        assertThat(kept.body().toString()).isEqualTo("{\"success\":true,\"message\":\"Cleaned jobs older than 86400000ms\"}");
        assertThat(get("/agent/queue/job/" + jobId).status()).as("a young job stays").isEqualTo(200);

        Thread.sleep(20);
        Http.Response cleaned = post("/agent/queue/clean?olderThan=10");
        assertThat(cleaned.body().get("message").asString()).isEqualTo("Cleaned jobs older than 10ms");
        Await.until(WAIT, "the job removed", () -> get("/agent/queue/job/" + jobId).status() == 404);
        Http.Response bad = post("/agent/queue/clean?olderThan=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("error").get("field").asString()).isEqualTo("olderThan");
    }

    private static String chat(String message) {
        Http.Response response = post("/agent/queue/chat", "{\"message\": \"" + message + "\"}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body().get("jobId").asString();
    }

    private static String status(String jobId) {
        Http.Response response = get("/agent/queue/job/" + jobId);
        return response.status() == 200 ? response.body().get("job").get("status").asString() : "http " + response.status();
    }

    private static Http.Response get(String path) {
        return Http.get(ingest.uri(path));
    }

    private static Http.Response post(String path) {
        return Http.post(ingest.uri(path), HttpRequest.BodyPublishers.noBody());
    }

    private static Http.Response post(String path, String json) {
        return Http.postJson(ingest.uri(path), json);
    }

    private static Http.Response delete(String path) {
        return Http.send(HttpRequest.newBuilder(ingest.uri(path)).DELETE().build());
    }
}
