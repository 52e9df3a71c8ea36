package io.jobstream.ingest.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.jobstream.ingest.status.JobStatusTopology;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;

/**
 * Two instances with {@code jobstream.admin.api-key} set: mutating admin routes and the internal
 * routes answer 401 JSON without the key and work with it (either header); reads fan out to the
 * other instance, whose internal routes accept the key the peer client sends; the key is never logged.
 * Without a key every route is open: the other tests pause, retry and clean without one.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminKeyIT {

    private static final String KEY = "adm1n-k3y-that-must-not-leak";
    private static final String APPLICATION_ID = "ingest-admin-key-test";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path firstDir;
    @TempDir
    static Path secondDir;

    static IngestInstance first;
    static IngestInstance second;

    @BeforeAll
    static void start() {
        first = IngestInstance.start(kafka.bootstrapServers(), APPLICATION_ID, firstDir, 0, "--jobstream.admin.api-key=" + KEY);
        second = IngestInstance.start(kafka.bootstrapServers(), APPLICATION_ID, secondDir, 0, "--jobstream.admin.api-key=" + KEY);
        Await.until(Duration.ofSeconds(120), "both instances to own job-status partitions", () ->
                first.isRunning() && second.isRunning()
                        && first.streams().streamsMetadataForStore(JobStatusTopology.STATUS_STORE).stream()
                                .filter(host -> !host.topicPartitions().isEmpty()).count() == 2);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void mutatingRoutesNeedTheKeyInEitherHeader() {
        Http.Response missing = Http.postJson(first.uri("/api/queues/embedding/pause"), "");
        assertUnauthorized(missing);
        assertUnauthorized(post(first.uri("/api/queues/embedding/pause"), "Authorization", "Bearer not-the-key"));
        assertUnauthorized(post(first.uri("/api/queues/embedding/pause"), "X-Api-Key", KEY + "x"));
        assertUnauthorized(Http.send(HttpRequest.newBuilder(first.uri("/api/jobs/some-job")).DELETE().build()));
        assertUnauthorized(post(first.uri("/agent/queue/pause"), "Content-Type", "application/json"));
        assertUnauthorized(Http.send(HttpRequest.newBuilder(first.uri("/api/queues/embedding/schedulers/s1"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"every\": 60000}")).build()));

        assertThat(post(first.uri("/api/queues/embedding/pause"), "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
        // The command reaches every instance through jobs.control.
        Await.until(Duration.ofSeconds(60), "embedding to be paused",
                () -> Http.get(first.uri("/api/queues/embedding")).body().path("queue").path("isPaused").asBoolean());
        assertThat(post(first.uri("/api/queues/embedding/resume"), "X-Api-Key", KEY).status()).isEqualTo(200);
        // A job that does not exist: the key let the request through to the route.
        assertThat(Http.send(HttpRequest.newBuilder(first.uri("/api/jobs/no-such-job")).header("X-Api-Key", KEY)
                .DELETE().build()).status()).isEqualTo(404);
    }

    @Test
    void readsAndSubmissionsStayOpen() {
        // 503 while partitions move between the two instances; then the plain answer.
        Await.until(Duration.ofSeconds(60), "a read without the key", () -> Http.get(first.uri("/api/jobs/no-such-job")).status() == 404);
        assertThat(Http.postJson(first.uri("/api/queues/embedding/jobs"), """
                {"name": "product-embedding", "data": {"entityType": "product", "entityId": "p-admin", "text": "desk"}}""")
                .status()).isEqualTo(201);
    }

    @Test
    void internalRoutesNeedTheKeyAndPeersSendIt() {
        assertUnauthorized(Http.get(second.uri("/internal/job-counts")));
        Await.until(Duration.ofSeconds(60), "the internal route to answer the key (503 while partitions move)",
                () -> Http.send(HttpRequest.newBuilder(second.uri("/internal/job-counts")).header("X-Api-Key", KEY).GET().build())
                        .status() == 200);
        // Counts and listings ask every instance: only the peer client's key gets the other half.
        Await.until(Duration.ofSeconds(60), "both instances to answer for every partition",
                () -> Http.get(first.uri("/api/queues")).status() == 200 && Http.get(second.uri("/api/jobs")).status() == 200);
    }

    @Test
    void theKeyIsNeverLogged(CapturedOutput output) {
        post(first.uri("/api/queues/embedding/pause"), "X-Api-Key", "wrong");
        post(first.uri("/api/queues/embedding/resume"), "Authorization", "Bearer " + KEY);
        assertThat(output.getAll()).isNotEmpty().doesNotContain(KEY);
    }

    private static Http.Response post(URI uri, String header, String value) {
        return Http.post(uri, HttpRequest.BodyPublishers.noBody(), header, value);
    }

    private static void assertUnauthorized(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.body().path("success").asBoolean(true)).isFalse();
        assertThat(response.body().path("error").path("field").asString()).isEqualTo("Authorization");
    }
}
