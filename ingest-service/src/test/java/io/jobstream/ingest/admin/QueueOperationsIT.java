package io.jobstream.ingest.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobState;
import io.jobstream.events.JobEvent;
import io.jobstream.ingest.support.CommittedRecords;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * The queue operations through the REST API against a real broker and a real worker: pause and
 * resume, cancel, retry and replay of dead letters, clean, and automatic retention.
 */
class QueueOperationsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String QUEUE = TopicCatalog.AGENT_CHAT.queue();

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path workerDir;

    /** Jobs whose handler fails permanently until a test repairs them. */
    static final Set<String> broken = ConcurrentHashMap.newKeySet();
    static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    static IngestInstance ingest;
    static ManagedStreams worker;
    static JobPublisher publisher;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-operations-test", ingestDir, 0,
                "--jobstream.ingest.retention.interval=300ms",
                "--jobstream.queues.retention-test.retention.keep-completed=2",
                "--jobstream.queues.retention-test.retention.keep-failed=100");
        Topology topology = QueueWorker.forQueue(TopicCatalog.AGENT_CHAT, AvroSerde.of(ChatRequested.class), job -> {
                    calls.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
                    if (broken.contains(job.id())) {
                        throw new PermanentJobException("model rejected " + job.id());
                    }
                    return "{\"response\":\"echo " + job.data().getMessage() + "\"}";
                })
                .concurrency(AsyncStepSettings.of(4, Duration.ofSeconds(10)))
                .retry(new RetryPolicy(2, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.1))
                .output(TopicCatalog.CHAT_RESPONSES, new StringSerializer(), (job, in, out) -> KeyValue.pair(job.jobId(), out))
                .build()
                .addTo(new Topology());
        worker = new ManagedStreams(topology, new StreamsProperties(kafka.bootstrapServers(), "operations-test-worker", "",
                workerDir, 0, Duration.ofMillis(100), 1, Duration.ofSeconds(10)), TopicCatalog.all());
        worker.start();
        publisher = new JobPublisher(kafka.bootstrapServers(), "operations-test", 1);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        worker.stop();
        ingest.close();
    }

    @AfterEach
    void resume() {
        post("/api/queues/" + QUEUE + "/resume");
    }

    @Test
    void pausedJobsWaitAsPausedAndRunAfterResumeAndACancelledOneNeverRuns() throws InterruptedException {
        assertThat(post("/api/queues/" + QUEUE + "/pause").body().path("message").asString()).isEqualTo("Queue paused");
        Await.until(WAIT, "queue reported paused", () -> queue().path("isPaused").asBoolean());

        submit("pause-1", "first");
        submit("pause-2", "second");
        Await.until(WAIT, "both jobs shown as paused", () -> status("pause-1").equals("paused") && status("pause-2").equals("paused"));
        Await.until(WAIT, "paused count", () -> queue().path("paused").asInt() >= 2);
        assertThat(queue().path("waiting").asInt()).isZero();

        Http.Response cancelled = Http.send(HttpRequest.newBuilder(uri("/api/jobs/pause-2")).DELETE().build());
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("message").asString()).isEqualTo("Job cancelled successfully");
        Await.until(WAIT, "pause-2 cancelled", () -> status("pause-2").equals("cancelled"));
        Thread.sleep(500);
        assertThat(calls).as("nothing runs while paused").doesNotContainKeys("pause-1", "pause-2");

        assertThat(post("/api/queues/" + QUEUE + "/resume").body().path("message").asString()).isEqualTo("Queue resumed");

        Await.until(WAIT, "pause-1 completed after resume", () -> status("pause-1").equals("completed"));
        Thread.sleep(500);
        assertThat(status("pause-2")).isEqualTo("cancelled");
        assertThat(calls).doesNotContainKey("pause-2");
        Http.Response again = Http.send(HttpRequest.newBuilder(uri("/api/jobs/pause-2")).DELETE().build());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("error").path("reason").asString()).isEqualTo("job is already cancelled");
    }

    @Test
    void aDeadLetteredJobIsListedAndRetriedFromItsOriginalRecord() {
        broken.add("dead-1");
        submit("dead-1", "please");
        Await.until(WAIT, "dead-1 failed", () -> status("dead-1").equals("failed"));

        JsonNode letters = Http.get(uri("/api/queues/" + QUEUE + "/dead-letters")).body();
        JsonNode letter = find(letters.path("deadLetters"), "dead-1");
        assertThat(letter.path("error").asString()).isEqualTo("model rejected dead-1");
        assertThat(letter.path("errorClass").asString()).isEqualTo(PermanentJobException.class.getName());
        assertThat(letter.path("jobStatus").asString()).isEqualTo("failed");
        String firstRun = job("dead-1").path("createdAt").asString();
        assertThat(post("/api/jobs/dead-1/retry").status()).isEqualTo(200);

        // Still broken: the retry runs and dead-letters again, with a new run. Until the statuses have read the new
        // run's events, they still show the first run's failure: wait for the second run's.
        Await.until(WAIT, "second run dead-lettered", () -> {
            JsonNode now = job("dead-1");
            return calls.get("dead-1").get() == 2 && now.path("status").asString().equals("failed")
                    && !now.path("createdAt").asString().equals(firstRun);
        });
        broken.remove("dead-1");
        Http.Response retried = post("/api/jobs/dead-1/retry");
        assertThat(retried.body().path("message").asString()).isEqualTo("Job retry initiated");

        Await.until(WAIT, "dead-1 completed on retry", () -> status("dead-1").equals("completed"));
        JsonNode job = job("dead-1");
        assertThat(job.path("returnValue").path("response").asString()).isEqualTo("echo please");
        assertThat(job.path("data").path("message").asString()).isEqualTo("please");
        assertThat(post("/api/jobs/dead-1/retry").status()).as("a completed job cannot be retried").isEqualTo(409);
        assertThat(post("/api/jobs/no-such-job/retry").status()).isEqualTo(404);
    }

    @Test
    void deadLettersArePagedNewestFirstFromAnIndexThatSeesEveryNewOne() {
        List<String> jobs = List.of("page-1", "page-2", "page-3");
        broken.addAll(jobs);
        for (String id : jobs) {
            submit(id, id);
            Await.until(WAIT, id + " failed", () -> status(id).equals("failed"));
            // Listed right after it failed: the index reads what was written since the last listing.
            assertThat(find(Http.get(uri("/api/queues/" + QUEUE + "/dead-letters")).body().path("deadLetters"), id)
                    .path("jobStatus").asString()).isEqualTo("failed");
        }
        broken.removeAll(jobs);

        JsonNode all = Http.get(uri("/api/queues/" + QUEUE + "/dead-letters?limit=1000")).body();
        int total = all.path("total").asInt();
        assertThat(total).isGreaterThanOrEqualTo(3).isEqualTo(all.path("count").asInt());
        List<String> ids = all.path("deadLetters").valueStream().map(l -> l.path("jobId").asString()).toList();
        assertThat(ids).doesNotHaveDuplicates().containsSubsequence("page-3", "page-2", "page-1");

        JsonNode first = Http.get(uri("/api/queues/" + QUEUE + "/dead-letters?limit=2")).body();
        JsonNode rest = Http.get(uri("/api/queues/" + QUEUE + "/dead-letters?limit=1000&offset=2")).body();
        assertThat(first.path("count").asInt()).isEqualTo(2);
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(first.path("total").asInt()).isEqualTo(total);
        assertThat(rest.path("offset").asInt()).isEqualTo(2);
        List<String> paged = new ArrayList<>();
        first.path("deadLetters").valueStream().forEach(l -> paged.add(l.path("jobId").asString()));
        rest.path("deadLetters").valueStream().forEach(l -> paged.add(l.path("jobId").asString()));
        assertThat(paged).isEqualTo(ids);
        assertThat(Http.get(uri("/api/queues/" + QUEUE + "/dead-letters?offset=-1")).status()).isEqualTo(400);
    }

    @Test
    void replayRunsEveryJobWhoseRunDiedAndSkipsThemTheSecondTime() {
        List<String> jobs = List.of("replay-1", "replay-2");
        broken.addAll(jobs);
        jobs.forEach(id -> submit(id, id));
        Await.until(WAIT, "both dead-lettered", () -> jobs.stream().allMatch(id -> status(id).equals("failed")));
        broken.removeAll(jobs);

        JsonNode replay = post("/api/queues/" + QUEUE + "/dead-letters/replay").body();

        assertThat(replay.path("replayed").valueStream().map(JsonNode::asString).toList()).containsAll(jobs);
        Await.until(WAIT, "both completed", () -> jobs.stream().allMatch(id -> status(id).equals("completed")));
        JsonNode second = post("/api/queues/" + QUEUE + "/dead-letters/replay?jobId=replay-1").body();
        assertThat(second.path("count").asInt()).isZero();
        assertThat(second.path("skipped").asInt()).isEqualTo(1);
    }

    @Test
    void cleanRemovesFinishedJobsOlderThanTheGivenAge() throws InterruptedException {
        submit("clean-1", "old news");
        Await.until(WAIT, "clean-1 completed", () -> status("clean-1").equals("completed"));

        JsonNode young = post("/api/queues/" + QUEUE + "/clean?olderThan=3600000").body();
        assertThat(young.path("message").asString()).isEqualTo("Cleaned jobs older than 3600000ms");
        assertThat(Http.get(uri("/api/jobs/clean-1")).status()).as("an hour-young job stays").isEqualTo(200);

        Thread.sleep(50);
        JsonNode cleaned = post("/api/queues/" + QUEUE + "/clean?olderThan=10").body();
        assertThat(cleaned.path("removed").asInt()).isGreaterThanOrEqualTo(1);
        Await.until(WAIT, "clean-1 gone", () -> Http.get(uri("/api/jobs/clean-1")).status() == 404);

        assertThat(post("/api/queues/" + QUEUE + "/clean?olderThan=soon").status()).isEqualTo(400);
        Http.Response unknown = post("/api/queues/no-such-queue/pause");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").path("field").asString()).isEqualTo("queue");
    }

    @Test
    void retentionKeepsTheNewestCompletedJobsOfAQueue() {
        // Events alone make a queue for the status store: retention applies to any queue it has seen.
        // Each job finishes a second after the previous one: "newest two" must not depend on the clock's resolution.
        Instant start = Instant.now().minusSeconds(60);
        for (int i = 1; i <= 5; i++) {
            String id = "kept-" + i;
            Instant finished = start.plusSeconds(i);
            JobMetadata job = new JobMetadata(id, "chat", 1, 3, finished.minusMillis(500), null, null, null);
            publisher.inTransaction(batch -> batch.publish(TopicCatalog.JOB_EVENTS, id,
                    JobEvents.completed("retention-test", job, "{}", finished)));
        }

        // Retention's proof is its REMOVED events: counts lag the statuses by a commit, so neither alone tells.
        Await.until(WAIT, "the three oldest removed", () -> removedKeptJobs().containsAll(List.of("kept-1", "kept-2", "kept-3")));
        assertThat(removedKeptJobs()).as("the newest two are kept").doesNotContain("kept-4", "kept-5");
        Await.until(WAIT, "the statuses and counts caught up", () -> Http.get(uri("/api/jobs/kept-1")).status() == 404
                && Http.get(uri("/api/queues/retention-test")).body().path("queue").path("completed").asInt() == 2);
        assertThat(Http.get(uri("/api/jobs/kept-5")).status()).isEqualTo(200);
        assertThat(Http.get(uri("/api/jobs/kept-4")).status()).isEqualTo(200);
    }

    private static List<String> removedKeptJobs() {
        return CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS, JobEvent.class,
                        key -> key.startsWith("kept-")).stream()
                .filter(event -> event.value().getState() == JobState.REMOVED)
                .map(CommittedRecords.Committed::key)
                .toList();
    }

    private static JsonNode find(JsonNode letters, String jobId) {
        return letters.valueStream().filter(l -> jobId.equals(l.path("jobId").asString())).findFirst()
                .orElseThrow(() -> new AssertionError(jobId + " not among the dead letters: " + letters));
    }

    private static void submit(String jobId, String text) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat",
                ChatRequested.newBuilder().setJobId(jobId).setSessionId("s-" + jobId).setMessage(text).build())
                .withData("{\"message\":\"" + text + "\"}"));
    }

    private static String status(String jobId) {
        Http.Response response = Http.get(uri("/api/jobs/" + jobId));
        return response.status() == 200 ? response.body().path("job").path("status").asString() : "http " + response.status();
    }

    private static JsonNode job(String jobId) {
        return Http.get(uri("/api/jobs/" + jobId)).body().path("job");
    }

    private static JsonNode queue() {
        return Http.get(uri("/api/queues/" + QUEUE)).body().path("queue");
    }

    /**
     * POSTs, again after a 503: a scan of the status store that a concurrent write or rebalance
     * invalidates answers 503 with Retry-After, and a client retries as told.
     */
    private static Http.Response post(String path) {
        Http.Response[] response = new Http.Response[1];
        Await.until(WAIT, "an answer other than 503 to POST " + path,
                () -> (response[0] = Http.post(uri(path), HttpRequest.BodyPublishers.noBody())).status() != 503);
        return response[0];
    }

    private static URI uri(String path) {
        return ingest.uri(path);
    }
}
