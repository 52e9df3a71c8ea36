package io.jobstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobstream.ai.embedding.LocalMiniLmEmbeddings;
import io.jobstream.core.content.TextHash;
import io.jobstream.test.Await;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole chain as a user runs it, every part a real process: 300 posts through ingest-service's
 * webhook → Kafka → embedding-processor (the bundled model) → 300 vectors in PostgreSQL, each with
 * its model and the hash of its post's text → seed 000's stats report 100% coverage. The services
 * are the jars the build made, started and supervised by the local run's own launcher code: the
 * processor is killed with SIGKILL while the posts wait, and the launcher's restart (from the AOT cache it
 * made first) finishes them.
 */
class WebhookToVectorsIT {

    private static final int POSTS = 300;
    // A restarted processor waits out its dead member's session before its group rebalances.
    private static final Duration WAIT = Duration.ofMinutes(4);

    @Test
    void threeHundredPostsBecomeThreeHundredVectorsWithFullCoverageThoughTheProcessorIsKilled() throws SQLException {
        JsonMapper json = JsonMapper.builder().build();
        Http http = new Http(json);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(new TeeOutputStream(System.out, printed), true, StandardCharsets.UTF_8), false);
        Teardown teardown = new Teardown(console);
        try {
            Workspace workspace = Workspace.create();
            teardown.add("temporary files", workspace);
            Infrastructure infrastructure = Infrastructure.start(workspace, teardown, console);
            Services services = Services.start(LocalRun.repository(), infrastructure, workspace, teardown, console, http,
                    // Seed 000's hourly embed-pending-posts job would be a 301st job in the embedding queue's
                    // counts whenever the run spans the top of an hour.
                    List.of(Services.Service.of(Services.INGEST, "--jobstream.schedulers.embed-pending-posts.enabled=false"),
                            Services.Service.of(Services.PROCESSOR)));
            new Supervisor(teardown, console, http, infrastructure.kafka().bootstrapServers()).watch(services);
            List<DemoPost> posts = DemoPost.loadDemo(json).subList(0, POSTS);
            DemoPost sample = posts.get(POSTS / 2);

            Workload.Submitted submitted = Workload.submit(posts, http, services.ingest().uri(Workload.WEBHOOK), console);
            long killed = services.processor().pid();
            services.processor().process().destroyForcibly();
            Await.until(WAIT, "a new embedding-processor JVM", () -> services.processor().pid() != killed);
            if (Runtime.version().feature() >= 25) {
                assertThat(services.processor().handle().info().arguments().orElseThrow())
                        .as("the restarted JVM starts from the AOT cache the launcher made")
                        .anyMatch(argument -> argument.startsWith("-XX:AOTCache="));
            }

            assertThat(submitted.accepted()).isEqualTo(POSTS);
            assertThat(submitted.jobIds()).hasSize(POSTS).doesNotHaveDuplicates();
            try (Connection database = DriverManager.getConnection(infrastructure.postgres().jdbcUrl(), LocalPostgres.USER,
                    infrastructure.postgres().password())) {
                Await.until(WAIT, POSTS + " vectors in PostgreSQL", () -> count(database, "SELECT count(*) FROM embeddings") == POSTS);
                // content_posts is the processor's own copy of the topic, by a consumer of its own: after the
                // restart it may catch up after the vectors are in.
                Await.until(WAIT, "vectors of the bundled model, each with its post's current text hash",
                        () -> count(database, """
                        SELECT count(*) FROM embeddings e JOIN content_posts p ON p.post_id = e.entity_id
                        WHERE e.entity_type = 'post' AND e.model = '%s' AND e.dimensions = %d AND e.content_hash = p.text_hash
                        """.formatted(LocalMiniLmEmbeddings.MODEL_ID, LocalMiniLmEmbeddings.DIMENSIONS)) == POSTS);
                assertThat(string(database, "SELECT content_hash FROM embeddings WHERE entity_id = '" + sample.id() + "'"))
                        .as("hash of the text as posted").isEqualTo(TextHash.of(sample.text()));
            }

            try {
                Await.until(WAIT, "stats with every job completed", () -> stats(http, services).path("queue").path("completed").asLong() == POSTS);
            } catch (AssertionError e) {
                // Which jobs are not done, and in which state, is what a failure here has to show.
                throw new AssertionError(e.getMessage() + "; stats " + stats(http, services) + "; unfinished "
                        + get(http, services.ingest(), "/api/jobs?queue=embedding&state=active&limit=5").body() + " "
                        + get(http, services.ingest(), "/api/jobs?queue=embedding&state=waiting&limit=5").body(), e);
            }
            JsonNode stats = stats(http, services);
            assertThat(stats.path("database").path("total_posts").asLong()).isEqualTo(POSTS);
            assertThat(stats.path("database").path("posts_with_embeddings").asLong()).isEqualTo(POSTS);
            assertThat(stats.path("database").path("pending").asLong()).isZero();
            assertThat(stats.path("database").path("coverage_pct").asDouble()).isEqualTo(100.0);
            assertThat(stats.path("queue").path("failed").asLong()).isZero();
            // Search on ingest-service's port: embedding-processor answers it, its 400s included.
            SemanticSearch.Result found = SemanticSearch.search(http, services.ingest(), sample.text());
            assertThat(found.hits()).hasSize(SemanticSearch.K);
            assertThat(found.hits().getFirst().entityId()).as("a post's own text finds it first").isEqualTo(sample.id());
            Http.Response invalid = get(http, services.ingest(), "/api/content/search?q=x&k=abc");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.body().path("error").path("field").asString()).isEqualTo("k");
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("embedding-processor (pid " + killed + ") exited unexpectedly with code 137: restarting it")
                    .contains("--- last lines of " + services.processor().log())
                    .contains("embedding-processor restarted");
        } finally {
            teardown.stopAll();
        }
    }

    private static JsonNode stats(Http http, Services services) {
        Http.Response response = get(http, services.ingest(), ProgressMonitor.STATS);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private static Http.Response get(Http http, ServiceProcess service, String path) {
        try {
            return http.get(service.uri(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(Connection database, String sql) {
        try (PreparedStatement statement = database.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static String string(Connection database, String sql) throws SQLException {
        try (PreparedStatement statement = database.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }

    /** What the launcher prints, shown as usual and kept for the assertions. */
    private static final class TeeOutputStream extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
