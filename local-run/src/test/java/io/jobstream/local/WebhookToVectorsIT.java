package io.jobstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * are the jars the build made, started by the local run's own launcher code.
 */
class WebhookToVectorsIT {

    private static final int POSTS = 300;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void threeHundredPostsThroughTheWebhookBecomeThreeHundredVectorsWithFullCoverage() throws SQLException {
        JsonMapper json = JsonMapper.builder().build();
        Http http = new Http(json);
        Console console = Console.system();
        Teardown teardown = new Teardown(console);
        try {
            Workspace workspace = Workspace.create();
            teardown.add("temporary files", workspace);
            Infrastructure infrastructure = Infrastructure.start(workspace, teardown, console);
            Services services = Services.start(LocalRun.repository(), infrastructure, workspace, teardown, console, http);
            List<DemoPost> posts = DemoPost.loadDemo(json).subList(0, POSTS);

            Workload.Submitted submitted = Workload.submit(posts, http, services.ingest().uri(Workload.WEBHOOK), console);

            assertThat(submitted.accepted()).isEqualTo(POSTS);
            assertThat(submitted.jobIds()).hasSize(POSTS).doesNotHaveDuplicates();
            try (Connection database = DriverManager.getConnection(infrastructure.postgres().jdbcUrl(), LocalPostgres.USER,
                    infrastructure.postgres().password())) {
                Await.until(WAIT, POSTS + " vectors in PostgreSQL", () -> count(database, "SELECT count(*) FROM embeddings") == POSTS);
                assertThat(count(database, """
                        SELECT count(*) FROM embeddings e JOIN content_posts p ON p.post_id = e.entity_id
                        WHERE e.entity_type = 'post' AND e.model = '%s' AND e.dimensions = %d AND e.content_hash = p.text_hash
                        """.formatted(LocalMiniLmEmbeddings.MODEL_ID, LocalMiniLmEmbeddings.DIMENSIONS)))
                        .as("vectors of the bundled model, each with its post's current text hash").isEqualTo(POSTS);
                DemoPost sample = posts.get(POSTS / 2);
                assertThat(string(database, "SELECT content_hash FROM embeddings WHERE entity_id = '" + sample.id() + "'"))
                        .as("hash of the text as posted").isEqualTo(TextHash.of(sample.text()));
            }

            Await.until(WAIT, "stats with every job completed", () -> stats(http, services).path("queue").path("completed").asLong() == POSTS);
            JsonNode stats = stats(http, services);
            assertThat(stats.path("database").path("total_posts").asLong()).isEqualTo(POSTS);
            assertThat(stats.path("database").path("posts_with_embeddings").asLong()).isEqualTo(POSTS);
            assertThat(stats.path("database").path("pending").asLong()).isZero();
            assertThat(stats.path("database").path("coverage_pct").asDouble()).isEqualTo(100.0);
            assertThat(stats.path("queue").path("failed").asLong()).isZero();
        } finally {
            teardown.stopAll();
        }
    }

    private static JsonNode stats(Http http, Services services) {
        try {
            Http.Response response = http.get(services.ingest().uri(ProgressMonitor.STATS));
            assertThat(response.status()).isEqualTo(200);
            return response.body();
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
}
