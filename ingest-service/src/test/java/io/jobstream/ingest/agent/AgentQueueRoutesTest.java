package io.jobstream.ingest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.support.CommittedRecords;
import io.jobstream.ingest.support.CommittedRecords.Committed;
import io.jobstream.ingest.support.EventPublisher;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.ingest.support.JobEvents;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * Seed 001's Agent Job Queue routes with the seed's example bodies, against a real broker: what
 * each route publishes, and the documented response shapes as a job goes through its lifecycle
 * (the processor's events are published here as the agent processor publishes them).
 */
class AgentQueueRoutesTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUEUE = TopicCatalog.AGENT_CHAT.queue();
    private static final String SEED_CHAT = """
            {
              "message": "What deals did Mark Cuban make?",
              "sessionId": "optional_session_id",
              "conversationHistory": [
                {"role": "user", "content": "Previous message"},
                {"role": "assistant", "content": "Previous response"}
              ],
              "userId": "user123",
              "metadata": {"source": "web", "priority": "high"}
            }""";
    private static final String SEED_BATCH = """
            {
              "messages": [
                {"message": "What deals did Mark Cuban make?", "sessionId": "session1"},
                {"message": "Show me food companies", "sessionId": "session2"}
              ],
              "userId": "user123"
            }""";

    @TempDir
    static Path dataDir;

    private static IngestInstance ingest;
    private static EventPublisher events;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-agent-queue-test", dataDir, 0);
        events = new EventPublisher(kafka.bootstrapServers());
        Await.until(Duration.ofSeconds(60), "the job-status store running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        events.close();
        ingest.close();
    }

    @Test
    void chatQueuesTheSeedsExampleWithItsSessionHistoryAndMetadata() {
        Http.Response response = post("/agent/queue/chat", SEED_CHAT);

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(fieldNames(response.body())).containsExactly("success", "jobId", "message", "statusUrl", "timestamp");
        assertThat(response.body().get("success").asBoolean()).isTrue();
        assertThat(response.body().get("message").asString()).isEqualTo("Chat job queued successfully");
        String jobId = response.body().get("jobId").asString();
        assertThat(response.body().get("statusUrl").asString()).isEqualTo("/agent/queue/job/" + jobId);
        assertThat(response.body().get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        Committed<ChatRequested> job = single(jobId);
        assertThat(job.key()).as("keyed by session: one session's messages run in order").isEqualTo("optional_session_id");
        assertThat(job.header(JobHeaders.JOB_TYPE)).isEqualTo("chat");
        assertThat(job.value().getMessage()).isEqualTo("What deals did Mark Cuban make?");
        assertThat(job.value().getUserId()).isEqualTo("user123");
        assertThat(job.value().getHistory()).extracting(m -> m.getRole() + ":" + m.getContent())
                .containsExactly("user:Previous message", "assistant:Previous response");
        assertThat(job.value().getMetadata()).containsEntry("source", "web").containsEntry("priority", "high");
    }

    @Test
    void chatWithoutASessionGetsANewOne() {
        Http.Response response = post("/agent/queue/chat", "{\"message\": \"What deals did Mark Cuban make?\", \"userId\": \"user123\"}");

        Committed<ChatRequested> job = single(response.body().get("jobId").asString());
        assertThat(job.value().getSessionId()).startsWith("session_");
        assertThat(job.key()).isEqualTo(job.value().getSessionId());
    }

    @Test
    void badChatBodiesAre400sNamingTheFieldAndPublishNothing() {
        Map<String, Long> before = CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.AGENT_CHAT.requests());

        assertRejected(post("/agent/queue/chat", "{\"userId\": \"user123\"}"), "message", "is required");
        assertRejected(post("/agent/queue/chat", "{\"message\": \"   \"}"), "message", "must not be blank");
        assertRejected(post("/agent/queue/chat", "{\"message\": 42}"), "message", "must be a string");
        assertRejected(post("/agent/queue/chat", "{\"message\": \"hi\", \"conversationHistory\": [{\"role\": \"user\", "
                + "\"content\": \"a\"}, {\"role\": \"robot\", \"content\": \"b\"}]}"), "conversationHistory[1].role",
                "must be \"user\" or \"assistant\"");
        assertRejected(post("/agent/queue/chat", "{\"message\": \"hi\", \"metadata\": {\"priority\": 1}}"),
                "metadata.priority", "must be a string");
        assertRejected(post("/agent/queue/chat", "{\"message\": \"hi\""), "body", "is not valid JSON");
        assertRejected(post("/agent/queue/batch", "{\"messages\": []}"), "messages", "must be a non-empty array");
        assertRejected(post("/agent/queue/batch", "{\"messages\": [{\"message\": \"ok\"}, {\"sessionId\": \"s\"}]}"),
                "messages[1].message", "is required");

        assertThat(CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.AGENT_CHAT.requests())).isEqualTo(before);
    }

    @Test
    void batchQueuesAFlowWithOneChildPerMessage() {
        Http.Response response = post("/agent/queue/batch", SEED_BATCH);

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(fieldNames(response.body()))
                .containsExactly("success", "jobId", "messageCount", "message", "statusUrl", "timestamp");
        assertThat(response.body().get("messageCount").asInt()).isEqualTo(2);
        assertThat(response.body().get("message").asString()).isEqualTo("Batch chat job queued successfully");
        String parent = response.body().get("jobId").asString();

        List<Committed<ChatRequested>> children = CommittedRecords.read(kafka.bootstrapServers(),
                TopicCatalog.AGENT_CHAT.requests(), ChatRequested.class, key -> key.equals("session1") || key.equals("session2"))
                .stream().filter(r -> parent.equals(r.header(JobHeaders.PARENT_JOB_ID))).toList();
        assertThat(children).extracting(r -> r.value().getJobId()).containsExactlyInAnyOrder(parent + ":1", parent + ":2");
        assertThat(children).extracting(r -> r.value().getUserId()).containsOnly("user123");

        JsonNode job = awaitJob(parent, "waiting");
        assertThat(job.get("type").asString()).isEqualTo("batch-chat");
        assertThat(job.get("step").asString()).isEqualTo("0/2 children done");
        assertThat(job.get("data").get("messages")).hasSize(2);
        assertThat(job.get("data").get("userId").asString()).isEqualTo("user123");
    }

    @Test
    void jobAndResultFollowTheJobThroughItsLifecycleInTheSeedsShapes() {
        String jobId = post("/agent/queue/chat", "{\"message\": \"What deals did Mark Cuban make?\", \"userId\": \"user123\"}")
                .body().get("jobId").asString();
        JsonNode waiting = awaitJob(jobId, "waiting");
        assertThat(waiting.get("data").get("message").asString()).isEqualTo("What deals did Mark Cuban make?");
        assertThat(waiting.get("data").get("userId").asString()).isEqualTo("user123");
        Instant enqueuedAt = Instant.parse(waiting.get("createdAt").asString());

        Instant start = Instant.now();
        events.publish(event(jobId, JobState.ACTIVE, enqueuedAt, start).setProgress(0).build(),
                event(jobId, JobState.PROGRESS, enqueuedAt, start.plusMillis(10)).setProgress(45).setStep("asking openai").build());
        Await.until(WAIT, "the job active at 45%", () -> awaitJob(jobId, "active").get("progress").asInt() == 45);
        Http.Response processing = get("/agent/queue/job/" + jobId + "/result");
        assertThat(fieldNames(processing.body())).containsExactly("success", "message", "status", "progress");
        assertThat(processing.body().get("success").asBoolean()).isFalse();
        assertThat(processing.body().get("message").asString()).isEqualTo("Job is still processing");
        assertThat(processing.body().get("status").asString()).isEqualTo("active");
        assertThat(processing.body().get("progress").asInt()).isEqualTo(45);

        String result = "{\"response\": \"Based on the Shark Tank database...\", \"sessionId\": \"session_1234567890\", "
                + "\"processingTime\": 2500, \"timestamp\": \"2026-01-31T15:30:05.000Z\", \"provider\": \"openai\"}";
        events.publish(event(jobId, JobState.COMPLETED, enqueuedAt, start.plusMillis(2500)).setProgress(100)
                .setReturnValue(result).build());
        JsonNode completed = awaitJob(jobId, "completed");
        assertThat(completed.get("id").asString()).isEqualTo(jobId);
        assertThat(completed.get("progress").asInt()).isEqualTo(100);
        assertThat(completed.get("attemptsMade").asInt()).isEqualTo(1);
        assertThat(completed.get("result").get("response").asString()).isEqualTo("Based on the Shark Tank database...");
        assertThat(completed.get("result").get("processingTime").asLong()).isEqualTo(2500);
        assertThat(completed.get("processedAt").asString()).isNotBlank();
        assertThat(completed.get("finishedAt").asString()).isNotBlank();
        Http.Response done = get("/agent/queue/job/" + jobId + "/result");
        assertThat(fieldNames(done.body())).containsExactly("success", "result");
        assertThat(done.body().get("result").get("sessionId").asString()).isEqualTo("session_1234567890");
    }

    @Test
    void aFailedJobsResultIsTheSeedsFailedShape() {
        String jobId = post("/agent/queue/chat", "{\"message\": \"fail me\"}").body().get("jobId").asString();
        Instant enqueuedAt = Instant.parse(awaitJob(jobId, "waiting").get("createdAt").asString());
        events.publish(event(jobId, JobState.DEAD_LETTERED, enqueuedAt, Instant.now()).setAttempt(3)
                .setErrorClass("io.jobstream.core.retry.TransientJobException")
                .setErrorMessage("AI Service call failed: Connection timeout").build());
        awaitJob(jobId, "failed");

        Http.Response failed = get("/agent/queue/job/" + jobId + "/result");

        assertThat(fieldNames(failed.body())).containsExactly("success", "message", "error");
        assertThat(failed.body().get("message").asString()).isEqualTo("Job failed");
        assertThat(failed.body().get("error").asString()).isEqualTo("AI Service call failed: Connection timeout");
        assertThat(get("/agent/queue/jobs?status=failed").body().get("jobs")).extracting(j -> j.get("id").asString())
                .contains(jobId);
    }

    @Test
    void unknownJobsAndOtherQueuesJobsAre404() {
        assertThat(get("/agent/queue/job/no-such-job").status()).isEqualTo(404);
        assertThat(get("/agent/queue/job/no-such-job/result").status()).isEqualTo(404);
        Instant now = Instant.now();
        events.publish(JobEvents.event("embedding-only", "embedding", JobState.QUEUED, now, now).build());
        Await.until(WAIT, "the embedding job's status", () -> get("/api/jobs/embedding-only").status() == 200);
        assertThat(get("/agent/queue/job/embedding-only").status()).isEqualTo(404);
    }

    @Test
    void jobsListsTheQueuesRecentJobsNewestFirstFilteredByStatus() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(post("/agent/queue/chat", "{\"message\": \"listed " + i + "\"}").body().get("jobId").asString());
        }
        ids.forEach(id -> awaitJob(id, "waiting"));

        Http.Response recent = get("/agent/queue/jobs?limit=20");
        assertThat(recent.status()).isEqualTo(200);
        assertThat(fieldNames(recent.body())).containsExactly("success", "count", "jobs");
        List<String> listed = StreamSupport.stream(recent.body().get("jobs").spliterator(), false)
                .map(j -> j.get("id").asString()).toList();
        assertThat(listed).containsSubsequence(ids.get(2), ids.get(1), ids.get(0));
        assertThat(recent.body().get("count").asInt()).isEqualTo(listed.size());
        assertThat(get("/agent/queue/jobs").body().get("jobs").size()).isLessThanOrEqualTo(10);
        assertThat(get("/agent/queue/jobs?status=waiting&limit=50").body().get("jobs"))
                .allSatisfy(j -> assertThat(j.get("status").asString()).isEqualTo("waiting"));
        assertRejected(get("/agent/queue/jobs?status=sleeping"), "status", "unknown status 'sleeping'");
        assertRejected(get("/agent/queue/jobs?limit=0"), "limit", "must be at least 1");
        assertRejected(get("/agent/queue/jobs?limit=1001"), "limit", "must be at most 1000");
        assertRejected(get("/agent/queue/jobs?limit=ten"), "limit", "must be a whole number");
    }

    @Test
    void statsAndHealthCountTheAgentQueueAsTheGenericQueueRouteDoes() {
        post("/agent/queue/chat", "{\"message\": \"counted\"}");
        Await.until(WAIT, "a waiting agent job counted", () -> get("/api/queues/" + QUEUE).body().get("queue").get("waiting").asLong() > 0);

        // Jobs of the other tests may still be counted in: compare a snapshot taken while the counts stood still.
        JsonNode[] snapshot = new JsonNode[3];
        int[] healthStatus = new int[1];
        Await.until(WAIT, "counts that stand still", () -> {
            JsonNode before = get("/api/queues/" + QUEUE).body().get("queue");
            snapshot[1] = get("/agent/queue/stats").body();
            Http.Response health = get("/agent/queue/health");
            healthStatus[0] = health.status();
            snapshot[2] = health.body();
            snapshot[0] = get("/api/queues/" + QUEUE).body().get("queue");
            return before.equals(snapshot[0]);
        });
        JsonNode queue = snapshot[0];
        JsonNode stats = snapshot[1];
        JsonNode health = snapshot[2];

        assertThat(fieldNames(stats)).containsExactly("success", "stats", "timestamp");
        assertThat(fieldNames(stats.get("stats")))
                .containsExactly("waiting", "active", "completed", "failed", "delayed", "paused", "total");
        for (String count : List.of("waiting", "active", "completed", "failed", "delayed", "paused", "total")) {
            assertThat(stats.get("stats").get(count).asLong()).as(count).isEqualTo(queue.get(count).asLong());
        }
        assertThat(healthStatus[0]).isEqualTo(200);
        assertThat(fieldNames(health)).containsExactly("success", "status", "service", "stats", "timestamp");
        assertThat(health.get("status").asString()).isEqualTo("healthy");
        assertThat(health.get("service").asString()).isEqualTo("Agent Queue");
        assertThat(fieldNames(health.get("stats"))).containsExactly("waiting", "active", "completed", "failed");
        assertThat(health.get("stats").get("waiting").asLong()).isEqualTo(queue.get("waiting").asLong());
    }

    private static JobEvent.Builder event(String jobId, JobState state, Instant enqueuedAt, Instant at) {
        return JobEvents.event(jobId, QUEUE, state, enqueuedAt, at);
    }

    private static JsonNode awaitJob(String jobId, String status) {
        Await.until(WAIT, jobId + " " + status, () -> {
            Http.Response response = get("/agent/queue/job/" + jobId);
            return response.status() == 200 && status.equals(response.body().get("job").get("status").asString());
        });
        Http.Response response = get("/agent/queue/job/" + jobId);
        assertThat(fieldNames(response.body())).containsExactly("success", "job");
        return response.body().get("job");
    }

    private static Committed<ChatRequested> single(String jobId) {
        List<Committed<ChatRequested>> jobs = CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.AGENT_CHAT.requests(),
                ChatRequested.class).stream().filter(r -> jobId.equals(r.value().getJobId())).toList();
        assertThat(jobs).hasSize(1);
        return jobs.getFirst();
    }

    private static void assertRejected(Http.Response response, String field, String reason) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("error").get("field").asString()).isEqualTo(field);
        assertThat(response.body().get("error").get("reason").asString()).contains(reason);
    }

    private static List<String> fieldNames(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }

    private static Http.Response post(String path, String json) {
        return Http.postJson(ingest.uri(path), json);
    }

    private static Http.Response get(String path) {
        return Http.get(ingest.uri(path));
    }
}
