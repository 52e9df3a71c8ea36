package io.jobstream.ingest.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.ChatRequested;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicSpec;
import tools.jackson.databind.JsonNode;

/**
 * End to end: jobs submitted with {@link JobPublisher}, run by a small test-only worker built on
 * pipeline-core, and their status read the way a user reads it, through ingest-service's REST API.
 */
class JobLifecycleThroughApiIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path workerDir;

    static IngestInstance ingest;
    static ManagedStreams worker;
    static JobPublisher publisher;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-lifecycle-test", ingestDir, 0);
        Topology topology = QueueWorker.forQueue(TopicCatalog.AGENT_CHAT, AvroSerde.of(ChatRequested.class), job -> {
                    String text = job.data().getMessage();
                    if (text.equals("fail twice") && job.attempt() <= 2) {
                        throw new TransientJobException("upstream timeout");
                    }
                    if (text.equals("invalid")) {
                        throw new PermanentJobException("message rejected");
                    }
                    job.progress(50, "thinking");
                    return "{\"response\":\"echo " + text + "\"}";
                })
                .concurrency(AsyncStepSettings.of(4, Duration.ofSeconds(10)))
                .retry(new RetryPolicy(3, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5), 0.1))
                .output(TopicCatalog.CHAT_RESPONSES, new StringSerializer(), (job, in, out) -> KeyValue.pair(job.jobId(), out))
                .build()
                .addTo(new Topology());
        List<TopicSpec> topics = new ArrayList<>(TopicCatalog.all());
        worker = new ManagedStreams(topology, new StreamsProperties(kafka.bootstrapServers(), "test-chat-worker", "",
                workerDir, 0, Duration.ofMillis(100), 1, Duration.ofSeconds(10)), topics);
        worker.start();
        publisher = new JobPublisher(kafka.bootstrapServers(), "api-lifecycle-test", 1);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        worker.stop();
        ingest.close();
    }

    @Test
    void aSucceedingJobReadsCompletedWithItsResult() {
        submit("api-ok", "hello");

        JsonNode job = awaitStatus("api-ok", "completed");

        assertThat(job.path("state").asString()).isEqualTo("COMPLETED");
        assertThat(job.path("progress").asInt()).isEqualTo(100);
        assertThat(job.path("attemptsMade").asInt()).isEqualTo(1);
        assertThat(job.path("returnValue").path("response").asString()).isEqualTo("echo hello");
        assertThat(job.path("data").path("message").asString()).isEqualTo("hello");
        assertThat(job.path("processedAt").isMissingNode() || job.path("processedAt").isNull()).isFalse();
        Http.Response result = Http.get(ingest.uri("/api/jobs/api-ok/result"));
        assertThat(result.body().path("success").asBoolean()).isTrue();
        assertThat(result.body().path("result").path("response").asString()).isEqualTo("echo hello");
    }

    @Test
    void aJobFailingTwiceReadsCompletedAfterThreeAttempts() {
        submit("api-flaky", "fail twice");

        JsonNode job = awaitStatus("api-flaky", "completed");

        assertThat(job.path("attemptsMade").asInt()).isEqualTo(3);
    }

    @Test
    void aPermanentlyFailingJobReadsFailedAndDeadLettered() {
        submit("api-invalid", "invalid");

        JsonNode job = awaitStatus("api-invalid", "failed");

        assertThat(job.path("state").asString()).isEqualTo("DEAD_LETTERED");
        Http.Response result = Http.get(ingest.uri("/api/jobs/api-invalid/result"));
        assertThat(result.body().path("message").asString()).isEqualTo("Job failed");
        assertThat(result.body().path("error").asString()).isEqualTo("message rejected");
        Await.until(Duration.ofSeconds(30), "dead-lettered count", () -> Http.get(ingest.uri("/api/queues/agent.chat"))
                .body().path("queue").path("deadLettered").asInt() >= 1);
    }

    private static void submit(String jobId, String text) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat",
                ChatRequested.newBuilder().setJobId(jobId).setSessionId("s-" + jobId).setMessage(text).build())
                .withData("{\"message\":\"" + text + "\"}"));
    }

    private static JsonNode awaitStatus(String jobId, String status) {
        Await.until(Duration.ofSeconds(60), jobId + " " + status, () -> {
            Http.Response response = Http.get(ingest.uri("/api/jobs/" + jobId));
            return response.status() == 200 && status.equals(response.body().path("job").path("status").asString());
        });
        return Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job");
    }
}
