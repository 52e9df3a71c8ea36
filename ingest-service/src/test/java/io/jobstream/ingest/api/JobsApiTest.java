package io.jobstream.ingest.api;

import static io.jobstream.ingest.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.events.JobState;
import io.jobstream.ingest.support.EventPublisher;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import tools.jackson.databind.JsonNode;

/** The REST API of one instance over job events published to a real broker. */
class JobsApiTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String CHAT = "agent.chat";
    private static final String EMBEDDING = "embedding";
    private static final Instant T0 = Instant.parse("2026-01-31T15:30:00Z");
    private static final String TIMEOUT = "AI Service call failed: Connection timeout";

    @TempDir
    static Path dataDir;

    private static IngestInstance ingest;

    @BeforeAll
    static void publishJobs() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-api-test", dataDir, 0);
        try (EventPublisher events = new EventPublisher(kafka.bootstrapServers())) {
            Instant done = T0;
            events.publish(
                    event("chat-done", CHAT, JobState.QUEUED, done, done)
                            .setData("{\"message\":\"What deals did Mark Cuban make?\",\"userId\":\"user123\"}").build(),
                    event("chat-done", CHAT, JobState.ACTIVE, done, done.plusSeconds(2)).build(),
                    event("chat-done", CHAT, JobState.PROGRESS, done, done.plusSeconds(3)).setProgress(45).setStep("agent").build(),
                    event("chat-done", CHAT, JobState.COMPLETED, done, done.plusSeconds(5))
                            .setReturnValue("{\"response\":\"Based on the Shark Tank database...\",\"processingTime\":2500}")
                            .build());
            Instant running = T0.plusSeconds(10);
            events.publish(
                    event("chat-running", CHAT, JobState.QUEUED, running, running).build(),
                    event("chat-running", CHAT, JobState.ACTIVE, running, running.plusSeconds(1)).build(),
                    event("chat-running", CHAT, JobState.PROGRESS, running, running.plusSeconds(2)).setProgress(45).build());
            Instant failed = T0.plusSeconds(20);
            events.publish(
                    event("chat-failed", CHAT, JobState.QUEUED, failed, failed).setMaxAttempts(2).build(),
                    event("chat-failed", CHAT, JobState.ACTIVE, failed, failed.plusSeconds(1)).setMaxAttempts(2).build(),
                    event("chat-failed", CHAT, JobState.RETRY_SCHEDULED, failed, failed.plusSeconds(2)).setMaxAttempts(2)
                            .setDueAt(failed.plusSeconds(4))
                            .setErrorClass("java.net.SocketTimeoutException").setErrorMessage(TIMEOUT).build(),
                    event("chat-failed", CHAT, JobState.ACTIVE, failed, failed.plusSeconds(4)).setAttempt(2).setMaxAttempts(2).build(),
                    event("chat-failed", CHAT, JobState.FAILED, failed, failed.plusSeconds(5)).setAttempt(2).setMaxAttempts(2)
                            .setErrorClass("java.net.SocketTimeoutException").setErrorMessage(TIMEOUT).build());
            // Published backwards: the status must still end COMPLETED, with the QUEUED event's data.
            Instant late = T0.plusSeconds(25);
            events.publish(
                    event("chat-late", CHAT, JobState.COMPLETED, late, late.plusSeconds(3)).setReturnValue("{\"ok\":true}").build(),
                    event("chat-late", CHAT, JobState.ACTIVE, late, late.plusSeconds(1)).build(),
                    event("chat-late", CHAT, JobState.QUEUED, late, late).setData("{\"message\":\"late\"}").build());
            for (int i = 1; i <= 5; i++) {
                Instant enqueued = T0.plusSeconds(30 + i);
                String id = "emb-" + i;
                events.publish(event(id, EMBEDDING, JobState.QUEUED, enqueued, enqueued).setJobType("product-embedding").build());
                switch (i) {
                    case 1, 2 -> events.publish(event(id, EMBEDDING, JobState.COMPLETED, enqueued, enqueued.plusSeconds(1))
                            .setJobType("product-embedding").setReturnValue("{\"dimensions\":384}").build());
                    case 4 -> events.publish(event(id, EMBEDDING, JobState.DELAYED, enqueued, enqueued.plusSeconds(1))
                            .setJobType("product-embedding").setDueAt(enqueued.plusSeconds(3600)).build());
                    case 5 -> events.publish(event(id, EMBEDDING, JobState.DEAD_LETTERED, enqueued, enqueued.plusSeconds(1))
                            .setJobType("product-embedding").setErrorClass("PoisonRecord").setErrorMessage("no text").build());
                    default -> { }
                }
            }
        }
        Await.until(Duration.ofSeconds(60), "every job and count visible", () -> {
            Http.Response queues = Http.get(ingest.uri("/api/queues"));
            return queues.status() == 200 && total(queues.body(), CHAT) == 4 && total(queues.body(), EMBEDDING) == 5
                    && stateOf("chat-late").equals("COMPLETED") && stateOf("emb-5").equals("DEAD_LETTERED");
        });
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void completedJobHasTheBullMqShape() {
        Http.Response response = Http.get(ingest.uri("/api/jobs/chat-done"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("success").asBoolean()).isTrue();
        JsonNode job = response.body().get("job");
        assertThat(job.get("id").asString()).isEqualTo("chat-done");
        assertThat(job.get("queue").asString()).isEqualTo(CHAT);
        assertThat(job.get("type").asString()).isEqualTo("chat");
        assertThat(job.get("status").asString()).isEqualTo("completed");
        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("progress").asInt()).isEqualTo(100);
        assertThat(job.get("step").asString()).isEqualTo("agent");
        assertThat(job.get("attemptsMade").asInt()).isEqualTo(1);
        assertThat(job.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(job.get("data").get("message").asString()).isEqualTo("What deals did Mark Cuban make?");
        assertThat(job.get("returnValue").get("processingTime").asInt()).isEqualTo(2500);
        assertThat(job.get("result")).isEqualTo(job.get("returnValue"));
        assertThat(job.get("failedReason").isNull()).isTrue();
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("createdAt").asString()).isEqualTo("2026-01-31T15:30:00Z");
        assertThat(job.get("processedAt").asString()).isEqualTo("2026-01-31T15:30:02Z");
        assertThat(job.get("finishedAt").asString()).isEqualTo("2026-01-31T15:30:05Z");
        assertThat(job.get("updatedAt").asString()).isEqualTo("2026-01-31T15:30:05Z");
        assertThat(job.get("delayedUntil").isNull()).isTrue();
    }

    @Test
    void completedResultIsTheReturnValue() {
        Http.Response response = Http.get(ingest.uri("/api/jobs/chat-done/result"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("success").asBoolean()).isTrue();
        assertThat(response.body().get("result").get("response").asString()).isEqualTo("Based on the Shark Tank database...");
    }

    @Test
    void unfinishedResultSaysStillProcessing() {
        Http.Response response = Http.get(ingest.uri("/api/jobs/chat-running/result"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("message").asString()).isEqualTo("Job is still processing");
        assertThat(response.body().get("status").asString()).isEqualTo("active");
        assertThat(response.body().get("progress").asInt()).isEqualTo(45);
    }

    @Test
    void failedResultCarriesTheErrorMessage() {
        Http.Response result = Http.get(ingest.uri("/api/jobs/chat-failed/result"));
        JsonNode job = Http.get(ingest.uri("/api/jobs/chat-failed")).body().get("job");

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().get("success").asBoolean()).isFalse();
        assertThat(result.body().get("message").asString()).isEqualTo("Job failed");
        assertThat(result.body().get("error").asString()).isEqualTo(TIMEOUT);
        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("attemptsMade").asInt()).isEqualTo(2);
        assertThat(job.get("failedReason").asString()).isEqualTo(TIMEOUT);
        assertThat(job.get("error").get("class").asString()).isEqualTo("java.net.SocketTimeoutException");
        assertThat(job.get("error").get("message").asString()).isEqualTo(TIMEOUT);
    }

    @Test
    void eventsArrivingBackwardsStillEndCompletedWithTheirData() {
        JsonNode job = Http.get(ingest.uri("/api/jobs/chat-late")).body().get("job");

        assertThat(job.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("data").get("message").asString()).isEqualTo("late");
        assertThat(job.get("processedAt").asString()).isEqualTo("2026-01-31T15:30:26Z");
    }

    @Test
    void delayedJobShowsWhenItRuns() {
        JsonNode job = Http.get(ingest.uri("/api/jobs/emb-4")).body().get("job");

        assertThat(job.get("status").asString()).isEqualTo("delayed");
        assertThat(job.get("delayedUntil").asString()).isEqualTo("2026-01-31T16:30:34Z");
    }

    @Test
    void unknownJobIs404Json() {
        for (String path : List.of("/api/jobs/no-such-job", "/api/jobs/no-such-job/result")) {
            Http.Response response = Http.get(ingest.uri(path));

            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.body().get("success").asBoolean()).isFalse();
            assertThat(response.body().get("message").asString()).isEqualTo("Job not found");
            assertThat(response.body().get("error").get("field").asString()).isEqualTo("id");
            assertThat(response.body().get("error").get("reason").asString()).contains("no-such-job");
        }
    }

    @Test
    void unknownRouteIs404JsonToo() {
        Http.Response response = Http.get(ingest.uri("/api/nothing-here"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("message").asString()).isEqualTo("Not Found");
    }

    @Test
    void listsNewestFirstWithDefaults() {
        Http.Response response = Http.get(ingest.uri("/api/jobs"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("success").asBoolean()).isTrue();
        assertThat(response.body().get("total").asLong()).isEqualTo(9);
        assertThat(response.body().get("count").asInt()).isEqualTo(9);
        assertThat(ids(response)).containsExactly(
                "emb-5", "emb-4", "emb-3", "emb-2", "emb-1", "chat-late", "chat-failed", "chat-running", "chat-done");
    }

    @Test
    void filtersByQueueAndPages() {
        Http.Response chat = Http.get(ingest.uri("/api/jobs?queue=agent.chat"));
        Http.Response page = Http.get(ingest.uri("/api/jobs?queue=embedding&limit=2&offset=1"));

        assertThat(ids(chat)).containsExactly("chat-late", "chat-failed", "chat-running", "chat-done");
        assertThat(page.body().get("total").asLong()).isEqualTo(5);
        assertThat(page.body().get("count").asInt()).isEqualTo(2);
        assertThat(ids(page)).containsExactly("emb-4", "emb-3");
    }

    @Test
    void filtersByBullMqWordsAndStateNames() {
        assertThat(ids(Http.get(ingest.uri("/api/jobs?state=completed"))))
                .containsExactly("emb-2", "emb-1", "chat-late", "chat-done");
        assertThat(ids(Http.get(ingest.uri("/api/jobs?state=failed")))).containsExactly("emb-5", "chat-failed");
        assertThat(ids(Http.get(ingest.uri("/api/jobs?state=dead-lettered")))).containsExactly("emb-5");
        assertThat(ids(Http.get(ingest.uri("/api/jobs?state=Dead_Lettered")))).containsExactly("emb-5");
        assertThat(ids(Http.get(ingest.uri("/api/jobs?state=waiting&queue=embedding")))).containsExactly("emb-3");
        assertThat(ids(Http.get(ingest.uri("/api/jobs?state=progress")))).containsExactly("chat-running");
    }

    @Test
    void countsJobsPerQueue() {
        Http.Response all = Http.get(ingest.uri("/api/queues"));
        Http.Response embedding = Http.get(ingest.uri("/api/queues/embedding"));
        Http.Response unknown = Http.get(ingest.uri("/api/queues/nothing-here"));

        assertThat(all.status()).isEqualTo(200);
        JsonNode chat = queue(all.body(), CHAT);
        assertThat(counts(chat)).containsExactly(0L, 1L, 2L, 1L, 0L, 0L, 0L, 4L);
        assertThat(counts(queue(all.body(), EMBEDDING))).containsExactly(1L, 0L, 2L, 1L, 1L, 1L, 0L, 5L);
        assertThat(embedding.body().get("queue")).isEqualTo(queue(all.body(), EMBEDDING));
        // Routes accept every declared queue and only those: an undeclared name is a 404, not zero counts.
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("success").asBoolean()).isFalse();
    }

    @Test
    void healthIncludesTheStreamsState() {
        Http.Response health = Http.get(ingest.uri("/actuator/health"));

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asString()).isEqualTo("UP");
        assertThat(health.body().get("components").get("streams").get("details").get("state").asString())
                .isEqualTo("RUNNING");
    }

    @Test
    void rejectsBadListParametersNamingTheField() {
        assertBadRequest("/api/jobs?limit=abc", "limit", "whole number");
        assertBadRequest("/api/jobs?limit=1001", "limit", "at most 1000");
        assertBadRequest("/api/jobs?limit=-1", "limit", "negative");
        assertBadRequest("/api/jobs?offset=x", "offset", "whole number");
        assertBadRequest("/api/jobs?offset=-5", "offset", "negative");
        assertBadRequest("/api/jobs?state=bogus", "state", "unknown state 'bogus'");
    }

    private static void assertBadRequest(String path, String field, String reason) {
        Http.Response response = Http.get(ingest.uri(path));

        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.body().get("success").asBoolean()).as(path).isFalse();
        assertThat(response.body().get("message").asString()).as(path).isNotBlank();
        assertThat(response.body().get("error").get("field").asString()).as(path).isEqualTo(field);
        assertThat(response.body().get("error").get("reason").asString()).as(path).contains(reason);
    }

    private static String stateOf(String id) {
        Http.Response response = Http.get(ingest.uri("/api/jobs/" + id));
        return response.status() == 200 ? response.body().get("job").get("state").asString() : "";
    }

    private static List<String> ids(Http.Response list) {
        return StreamSupport.stream(list.body().get("jobs").spliterator(), false)
                .map(job -> job.get("id").asString())
                .toList();
    }

    private static JsonNode queue(JsonNode queues, String name) {
        return StreamSupport.stream(queues.get("queues").spliterator(), false)
                .filter(queue -> queue.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no queue " + name + " in " + queues));
    }

    private static long total(JsonNode queues, String name) {
        return StreamSupport.stream(queues.get("queues").spliterator(), false)
                .filter(queue -> queue.get("name").asString().equals(name))
                .mapToLong(queue -> queue.get("total").asLong())
                .findFirst()
                .orElse(0);
    }

    /** waiting, active, completed, failed, delayed, deadLettered, cancelled, total. */
    private static List<Long> counts(JsonNode queue) {
        return List.of("waiting", "active", "completed", "failed", "delayed", "deadLettered", "cancelled", "total")
                .stream().map(field -> queue.get(field).asLong()).toList();
    }
}
