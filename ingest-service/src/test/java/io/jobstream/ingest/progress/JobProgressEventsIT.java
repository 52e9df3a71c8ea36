package io.jobstream.ingest.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.ChatRequested;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.ServerSentEvents;
import io.jobstream.ingest.support.ServerSentEvents.Event;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicCatalog;

/** Progress as Server-Sent Events, read by a real HTTP client while a real worker runs the jobs. */
class JobProgressEventsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path workerDir;

    static IngestInstance ingest;
    static ManagedStreams worker;
    static JobPublisher publisher;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-progress-test", ingestDir, 0);
        Topology topology = QueueWorker.forQueue(TopicCatalog.AGENT_CHAT, AvroSerde.of(ChatRequested.class), job -> {
                    Thread.sleep(800);
                    job.progress(50, "thinking");
                    Thread.sleep(300);
                    return "{\"response\":\"echo " + job.data().getMessage() + "\"}";
                })
                .concurrency(AsyncStepSettings.of(4, Duration.ofSeconds(10)))
                .retry(RetryPolicy.DEFAULT)
                .output(TopicCatalog.CHAT_RESPONSES, new StringSerializer(), (job, in, out) -> KeyValue.pair(job.jobId(), out))
                .build()
                .addTo(new Topology());
        worker = new ManagedStreams(topology, new StreamsProperties(kafka.bootstrapServers(), "progress-test-worker", "",
                workerDir, 0, Duration.ofMillis(100), 1, Duration.ofSeconds(10)), TopicCatalog.all());
        worker.start();
        publisher = new JobPublisher(kafka.bootstrapServers(), "progress-test", 1);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        worker.stop();
        ingest.close();
    }

    @Test
    void aJobsStreamStartsWithItsStatusRelaysEachTransitionAndEndsWithTheJob() throws Exception {
        submit("sse-1", "hello");
        Await.until(WAIT, "sse-1 known", () -> Http.get(ingest.uri("/api/jobs/sse-1")).status() == 200);

        List<Event> events = readUntilClosed(ingest.uri("/api/jobs/sse-1/events"));

        assertThat(events.getFirst().name()).isEqualTo("job");
        assertThat(events.getFirst().data().path("id").asString()).isEqualTo("sse-1");
        List<Event> progress = events.stream().filter(e -> e.name().equals("progress")).toList();
        assertThat(progress).extracting(e -> e.data().path("status").asString()).contains("active").endsWith("completed");
        assertThat(progress).anySatisfy(e -> {
            assertThat(e.data().path("progress").asInt()).isEqualTo(50);
            assertThat(e.data().path("step").asString()).isEqualTo("thinking");
        });
        assertThat(progress.getLast().data().path("returnValue").path("response").asString()).isEqualTo("echo hello");
    }

    @Test
    void aFinishedJobsStreamSendsItsStatusAndCloses() throws Exception {
        submit("sse-done", "quick");
        Await.until(WAIT, "sse-done completed", () -> "completed".equals(
                Http.get(ingest.uri("/api/jobs/sse-done")).body().path("job").path("status").asString()));

        List<Event> events = readUntilClosed(ingest.uri("/api/jobs/sse-done/events"));

        assertThat(events).hasSize(1);
        assertThat(events.getFirst().data().path("status").asString()).isEqualTo("completed");
        assertThat(Http.get(ingest.uri("/api/jobs/no-such-job/events")).status()).isEqualTo(404);
    }

    @Test
    void aQueuesStreamCarriesEveryJobOfTheQueue() throws Exception {
        List<Event> received = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(ingest.uri("/api/queues/agent.chat/events")).build();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = response.get(30, TimeUnit.SECONDS);
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        Thread reader = Thread.ofVirtual().start(() -> ServerSentEvents.parse(open.body(), received));
        // The listener is registered once the response has started.
        submit("sse-q1", "one");
        submit("sse-q2", "two");

        Await.until(WAIT, "both jobs completed on the queue stream", () -> {
            synchronized (received) {
                return List.of("sse-q1", "sse-q2").stream().allMatch(id -> received.stream().anyMatch(e ->
                        id.equals(e.data().path("jobId").asString()) && "completed".equals(e.data().path("status").asString())));
            }
        });
        reader.interrupt();
        open.body().close();
    }

    private static List<Event> readUntilClosed(URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(WAIT).build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        ServerSentEvents.parse(response.body(), events);
        return events;
    }

    private static void submit(String jobId, String text) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat",
                ChatRequested.newBuilder().setJobId(jobId).setSessionId("s-" + jobId).setMessage(text).build())
                .withData("{\"message\":\"" + text + "\"}"));
    }

}
