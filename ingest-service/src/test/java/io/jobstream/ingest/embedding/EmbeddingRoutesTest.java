package io.jobstream.ingest.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.support.CommittedRecords;
import io.jobstream.ingest.support.CommittedRecords.Committed;
import io.jobstream.ingest.support.EventPublisher;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Seed 000's content embedding routes and seed 004's typed embedding jobs, against a real broker. */
class EmbeddingRoutesTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    private static IngestInstance ingest;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-embedding-test", dataDir, 0);
        Await.until(Duration.ofSeconds(60), "the job-status store running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void generateQueuesABatchJobWithSeed000sShape() {
        Http.Response defaults = post("/api/content/embeddings/generate", "");
        Http.Response sized = post("/api/content/embeddings/generate", "{\"batchSize\": 250}");

        assertThat(defaults.status()).as(defaults.toString()).isEqualTo(200);
        assertThat(fieldNames(defaults.body())).containsExactly("success", "message", "jobId", "batchSize");
        assertThat(defaults.body().get("success").asBoolean()).isTrue();
        assertThat(defaults.body().get("message").asString()).isEqualTo("Embedding generation job queued");
        assertThat(defaults.body().get("jobId").asString()).matches("embedding-batch-\\d{13}");
        assertThat(defaults.body().get("batchSize").asInt()).isEqualTo(100);
        assertThat(sized.body().get("batchSize").asInt()).isEqualTo(250);
        String jobId = sized.body().get("jobId").asString();
        Committed<EmbeddingRequested> job = single(jobs(key -> key.equals(jobId)));
        assertThat(job.header(JobHeaders.JOB_TYPE)).isEqualTo("generate-embeddings");
        assertThat(job.value().getJobId()).isEqualTo(jobId);
        assertThat(job.value().getEntityType()).isEqualTo("post");
        assertThat(job.value().getEntityId()).isEqualTo("*pending*");
        assertThat(job.value().getText()).isNull();
        assertThat(job.value().getMetadata()).containsExactly(Map.entry("batchSize", "250"));
    }

    @Test
    void generateRejectsBadBatchSizes() {
        assertBadRequest(post("/api/content/embeddings/generate", "{\"batchSize\": 0}"), "batchSize", "between 1 and 1000");
        assertBadRequest(post("/api/content/embeddings/generate", "{\"batchSize\": 1001}"), "batchSize", "between 1 and 1000");
        assertBadRequest(post("/api/content/embeddings/generate", "{\"batchSize\": \"ten\"}"), "batchSize", "whole number");
        assertBadRequest(post("/api/content/embeddings/generate", "{\"batchSize\": 2.5}"), "batchSize", "whole number");
        assertBadRequest(post("/api/content/embeddings/generate", "[100]"), "body", "JSON object");
        assertBadRequest(post("/api/content/embeddings/generate", "{\"batchSize\": "), "body", "is not valid JSON");
    }

    @Test
    void postsQueuesOneJobPerPostForTheProcessorToLoad() {
        Http.Response response = post("/api/content/embeddings/posts", "{\"postIds\": [\"p-1\", \"p-2\", \"p-1\"]}");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(fieldNames(response.body())).containsExactly("success", "message", "jobIds", "count");
        assertThat(response.body().get("success").asBoolean()).isTrue();
        assertThat(response.body().get("message").asString()).isEqualTo("Embedding generation queued for 2 posts");
        assertThat(strings(response.body().get("jobIds"))).containsExactly("post-embedding:p-1", "post-embedding:p-2");
        assertThat(response.body().get("count").asInt()).isEqualTo(2);
        List<Committed<EmbeddingRequested>> jobs = jobs(key -> key.equals("post:p-1") || key.equals("post:p-2"));
        assertThat(jobs).extracting(Committed::key).containsExactlyInAnyOrder("post:p-1", "post:p-2");
        for (Committed<EmbeddingRequested> job : jobs) {
            assertThat(job.header(JobHeaders.JOB_TYPE)).isEqualTo("post-embedding");
            assertThat(job.value().getText()).as("the processor loads the post").isNull();
            assertThat(job.value().getTriggeredBy()).isEqualTo("api");
        }
    }

    @Test
    void postsRejectsBadLists() {
        String tooMany = JSON.writeValueAsString(Map.of("postIds", IntStream.range(0, 1001).mapToObj(i -> "p" + i).toList()));
        assertBadRequest(post("/api/content/embeddings/posts", "{}"), "postIds", "is required");
        assertBadRequest(post("/api/content/embeddings/posts", "{\"postIds\": []}"), "postIds", "must not be empty");
        assertBadRequest(post("/api/content/embeddings/posts", tooMany), "postIds", "at most 1000 items");
        assertBadRequest(post("/api/content/embeddings/posts", "{\"postIds\": [\"ok\", 7]}"), "postIds[1]", "must be a string");
        assertBadRequest(post("/api/content/embeddings/posts", "{\"postIds\": \"p-1\"}"), "postIds", "array of strings");
        assertBadRequest(post("/api/content/embeddings/posts", "{\"postIds\": [\"a/b\"]}"), "postIds[0]", "must not contain '/'");
    }

    @Test
    void productRouteUsesTheDeterministicIdAndPriorityTwo() {
        Http.Response plain = post("/api/embeddings/products/prod-1", "{\"text\": \"Trail running shoes, size 42\"}");
        Http.Response withOptions = post("/api/embeddings/products/prod-2",
                "{\"text\": \"Red running shoes\", \"previousTextHash\": \"abc123\", \"priority\": 1, \"triggeredBy\": \"product.created\"}");

        assertThat(plain.status()).as(plain.toString()).isEqualTo(202);
        assertThat(fieldNames(plain.body())).containsExactly("success", "jobId", "queue", "state", "statusUrl");
        assertThat(plain.body().get("jobId").asString()).isEqualTo("product-embedding:prod-1");
        assertThat(plain.body().get("queue").asString()).isEqualTo("embedding");
        assertThat(plain.body().get("state").asString()).isEqualTo("waiting");
        assertThat(plain.body().get("statusUrl").asString()).isEqualTo("/api/jobs/product-embedding:prod-1");
        Committed<EmbeddingRequested> first = single(jobs(key -> key.equals("product:prod-1")));
        assertThat(first.header(JobHeaders.JOB_ID)).isEqualTo("product-embedding:prod-1");
        assertThat(first.header(JobHeaders.JOB_TYPE)).isEqualTo("product-embedding");
        assertThat(first.header(JobHeaders.PRIORITY)).isEqualTo("2");
        assertThat(first.value().getPriority()).isEqualTo(2);
        assertThat(first.value().getEntityType()).isEqualTo("product");
        assertThat(first.value().getTriggeredBy()).isEqualTo("api");

        assertThat(withOptions.status()).as(withOptions.toString()).isEqualTo(202);
        EmbeddingRequested second = single(jobs(key -> key.equals("product:prod-2"))).value();
        assertThat(second.getPriority()).isEqualTo(1);
        assertThat(second.getText()).isEqualTo("Red running shoes");
        assertThat(second.getTextHash()).isEqualTo(TextHash.of("Red running shoes"));
        assertThat(second.getPreviousTextHash()).isEqualTo("abc123");
        assertThat(second.getTriggeredBy()).isEqualTo("product.created");

        Await.until(Duration.ofSeconds(30), "prod-1 in the status API", () -> "QUEUED".equals(stateOf("product-embedding:prod-1")));
        JsonNode status = Http.get(ingest.uri("/api/jobs/product-embedding:prod-1")).body().get("job");
        assertThat(status.get("priority").asInt()).isEqualTo(2);
        assertThat(status.get("data").get("entityId").asString()).isEqualTo("prod-1");
    }

    @Test
    void tasteProfileRouteNeedsTheUserAndRunsFirst() {
        assertBadRequest(post("/api/embeddings/taste-profiles/tp-1", "{}"), "userId", "is required");
        assertBadRequest(post("/api/embeddings/taste-profiles/tp-1", "{\"userId\": \"u-1\", \"entityType\": \"product\"}"),
                "entityType", "given by the path");

        Http.Response response = post("/api/embeddings/taste-profiles/tp-1", "{\"userId\": \"u-1\", \"recipientId\": \"r-9\", \"text\": \"Loves hiking and specialty coffee\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.body().get("jobId").asString()).isEqualTo("taste-profile-embedding:tp-1");
        Committed<EmbeddingRequested> job = single(jobs(key -> key.equals("taste-profile:tp-1")));
        assertThat(job.header(JobHeaders.JOB_TYPE)).isEqualTo("taste-profile-embedding");
        assertThat(job.header(JobHeaders.PRIORITY)).isEqualTo("1");
        assertThat(job.value().getPriority()).isEqualTo(1);
        assertThat(job.value().getUserId()).isEqualTo("u-1");
        assertThat(job.value().getRecipientId()).isEqualTo("r-9");
    }

    @Test
    void genericRouteTakesAnyEntityAndAClientJobId() {
        Http.Response derived = post("/api/jobs/embedding",
                "{\"entityType\": \"document-chunk\", \"entityId\": \"doc-1#3\", \"text\": \"chunk\", \"model\": \"all-minilm-l6-v2\","
                        + " \"metadata\": {\"documentId\": \"doc-1\"}}");
        Http.Response chosen = post("/api/jobs/embedding", "{\"entityType\": \"product\", \"entityId\": \"prod-9\", \"jobId\": \"reembed-prod-9-v2\", \"text\": \"Trail running shoes, size 42\"}");

        assertThat(derived.status()).as(derived.toString()).isEqualTo(202);
        assertThat(derived.body().get("jobId").asString()).isEqualTo("document-chunk-embedding:doc-1#3");
        assertThat(derived.body().get("statusUrl").asString()).isEqualTo("/api/jobs/document-chunk-embedding:doc-1%233");
        EmbeddingRequested chunk = single(jobs(key -> key.equals("document-chunk:doc-1#3"))).value();
        assertThat(chunk.getModel()).isEqualTo("all-minilm-l6-v2");
        assertThat(chunk.getPriority()).isEqualTo(2);
        assertThat(chunk.getMetadata()).containsExactly(Map.entry("documentId", "doc-1"));
        assertThat(chosen.body().get("jobId").asString()).isEqualTo("reembed-prod-9-v2");
        assertThat(single(jobs(key -> key.equals("product:prod-9"))).header(JobHeaders.JOB_ID)).isEqualTo("reembed-prod-9-v2");
        Await.until(Duration.ofSeconds(30), "the chunk job through its statusUrl",
                () -> Http.get(ingest.uri(derived.body().get("statusUrl").asString())).status() == 200);
    }

    @Test
    void genericRouteNamesTheFieldAtFault() {
        Map<String, Long> before = CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests());
        String entity = "\"entityType\": \"product\", \"entityId\": \"p\"";
        assertBadRequest(post("/api/jobs/embedding", ""), "entityType", "is required");
        assertBadRequest(post("/api/jobs/embedding", "{\"entityType\": \"product\"}"), "entityId", "is required");
        assertBadRequest(post("/api/jobs/embedding", "{\"entityType\": \"Product Type\", \"entityId\": \"p\"}"), "entityType", "lower-case");
        assertBadRequest(post("/api/jobs/embedding", "{\"entityType\": \"product\", \"entityId\": \"" + "x".repeat(201) + "\"}"),
                "entityId", "at most 200 characters");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"priority\": 0}"), "priority", "between 1 and 10");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"priority\": 11}"), "priority", "between 1 and 10");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"priority\": \"high\"}"), "priority", "whole number");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"delay\": -1}"), "delay", "between 0 and 604800000");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"delay\": 604800001}"), "delay", "between 0 and 604800000");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"text\": \"" + "é".repeat(51 * 1024) + "\"}"),
                "text", "at most 100 KB");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"text\": 5}"), "text", "must be a string");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"metadata\": {\"n\": 1}}"), "metadata.n", "must be a string");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"jobId\": \"a/b\"}"), "jobId", "must not contain '/'");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + ", \"userId\": \"\"}"), "userId", "must not be blank");
        assertBadRequest(post("/api/jobs/embedding", "{" + entity + "}"), "text", "is required for entity type product");
        assertBadRequest(post("/api/embeddings/products/prod-x", ""), "text", "is required for entity type product");
        assertThat(CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests())).isEqualTo(before);
    }

    @Test
    void delayedJobWaitsOnTheRetryTopicAndShowsAsDelayed() {
        Http.Response response = post("/api/embeddings/products/prod-later", "{\"delay\": 60000, \"text\": \"Trail running shoes, size 42\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.body().get("state").asString()).isEqualTo("delayed");
        Instant due = Instant.parse(response.body().get("delayedUntil").asString());
        assertThat(due).isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(61));
        assertThat(jobs(key -> key.equals("product:prod-later"))).as("not on the main topic yet").isEmpty();
        Committed<EmbeddingRequested> parked = single(CommittedRecords.read(kafka.bootstrapServers(),
                TopicCatalog.EMBEDDING.retry(), EmbeddingRequested.class, key -> key.equals("product:prod-later")));
        assertThat(parked.header(JobHeaders.DUE_AT)).isEqualTo(Long.toString(due.toEpochMilli()));
        Await.until(Duration.ofSeconds(30), "the delayed job in the status API",
                () -> "DELAYED".equals(stateOf("product-embedding:prod-later")));
        JsonNode job = Http.get(ingest.uri("/api/jobs/product-embedding:prod-later")).body().get("job");
        assertThat(job.get("status").asString()).isEqualTo("delayed");
        assertThat(Instant.parse(job.get("delayedUntil").asString())).isEqualTo(due);
    }

    @Test
    void unfinishedJobIsReturnedInsteadOfAddedAgain() {
        Http.Response first = post("/api/embeddings/products/prod-dup", "{\"text\": \"Trail running shoes, size 42\"}");
        assertThat(first.status()).isEqualTo(202);
        Await.until(Duration.ofSeconds(30), "the first job QUEUED", () -> "QUEUED".equals(stateOf("product-embedding:prod-dup")));

        Http.Response again = post("/api/embeddings/products/prod-dup", "{\"priority\": 1, \"text\": \"Trail running shoes, size 42\"}");
        Http.Response viaGeneric = post("/api/jobs/embedding", "{\"entityType\": \"product\", \"entityId\": \"prod-dup\", \"text\": \"Trail running shoes, size 42\"}");

        for (Http.Response duplicate : List.of(again, viaGeneric)) {
            assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(200);
            assertThat(duplicate.body().get("success").asBoolean()).isTrue();
            assertThat(duplicate.body().get("jobId").asString()).isEqualTo("product-embedding:prod-dup");
            assertThat(duplicate.body().get("duplicate").asBoolean()).isTrue();
            assertThat(duplicate.body().get("status").asString()).isEqualTo("waiting");
        }
        assertThat(jobs(key -> key.equals("product:prod-dup"))).as("no second record").hasSize(1);
    }

    @Test
    void finishedJobIdCanBeUsedAgain() {
        assertThat(post("/api/embeddings/products/prod-done", "{\"text\": \"Trail running shoes, size 42\"}").status()).isEqualTo(202);
        Await.until(Duration.ofSeconds(30), "the first run QUEUED", () -> "QUEUED".equals(stateOf("product-embedding:prod-done")));
        Instant enqueuedAt = Instant.parse(Http.get(ingest.uri("/api/jobs/product-embedding:prod-done")).body()
                .get("job").get("createdAt").asString());
        try (EventPublisher events = new EventPublisher(kafka.bootstrapServers())) {
            events.publish(JobEvent.newBuilder().setJobId("product-embedding:prod-done").setQueue("embedding")
                    .setJobType("product-embedding").setState(JobState.COMPLETED).setAttempt(1).setMaxAttempts(3)
                    .setEnqueuedAt(enqueuedAt).setTimestamp(Instant.now()).build());
        }
        Await.until(Duration.ofSeconds(30), "the first run COMPLETED", () -> "COMPLETED".equals(stateOf("product-embedding:prod-done")));

        Http.Response again = post("/api/embeddings/products/prod-done", "{\"text\": \"Trail running shoes, size 42\"}");

        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(jobs(key -> key.equals("product:prod-done"))).hasSize(2);
    }

    @Test
    void webhookTakesUnsignedItemsWhenNoSecretIsSet() {
        Http.Response response = post("/api/content/ingest/webhook", "[{\"id\": \"unsigned-1\", \"text\": \"hello\"}]");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(strings(response.body().get("jobIds"))).containsExactly("post-embedding:unsigned-1");
    }

    private static Http.Response post(String path, String json) {
        return Http.postJson(ingest.uri(path), json);
    }

    private static List<Committed<EmbeddingRequested>> jobs(Predicate<String> keys) {
        return CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests(), EmbeddingRequested.class, keys);
    }

    private static <T> T single(List<T> records) {
        assertThat(records).hasSize(1);
        return records.getFirst();
    }

    private static String stateOf(String jobId) {
        Http.Response response = Http.get(ingest.uri("/api/jobs/" + jobId));
        return response.status() == 200 ? response.body().get("job").get("state").asString() : "";
    }

    private static void assertBadRequest(Http.Response response, String field, String reason) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("error").get("field").asString()).as(response.toString()).isEqualTo(field);
        assertThat(response.body().get("error").get("reason").asString()).as(response.toString()).contains(reason);
    }

    private static List<String> fieldNames(JsonNode body) {
        return List.copyOf(body.propertyNames());
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
    }
}
