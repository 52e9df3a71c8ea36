package io.jobstream.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.JobState;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresInstance;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * A product published while PostgreSQL is down (restarting, failing over) is stored and gets its jobs once the
 * database is back. Found by the chaos run: the products table write failed, the record was dead-lettered as
 * if it were poison, and the product never got its embedding and enrichment jobs.
 */
class ProductsDuringDatabaseOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String DATABASE = "catalog";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path dir;

    static PostgresInstance postgres;
    static ConfigurableApplicationContext processor;
    static JobPublisher publisher;
    static JobOutcomes outcomes;
    static TopicTail deadLetters;

    @BeforeAll
    static void start() throws IOException, SQLException {
        // PostgreSQL runs as its own service user, which must be able to reach its directory below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        postgres = PostgresInstance.start(Files.createDirectories(dir.resolve("postgres")));
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        processor = new SpringApplicationBuilder(CatalogProcessorApplication.class).run(
                "--server.port=" + FreePorts.next(),
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + postgres.jdbcUrl(DATABASE),
                "--spring.datasource.username=" + PostgresInstance.USER,
                "--spring.datasource.password=" + postgres.password(),
                // A connection the pool cannot get fails in 2 s, not 30: the outage shows at once.
                "--spring.datasource.hikari.connection-timeout=2000",
                "--jobstream.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--jobstream.kafka.data-dir=" + dir.resolve("streams"),
                "--jobstream.kafka.standby-replicas=0",
                "--jobstream.kafka.commit-interval=100ms",
                "--jobstream.kafka.close-timeout=10s");
        publisher = new JobPublisher(kafka.bootstrapServers(), "catalog-outage-test", 1);
        outcomes = new JobOutcomes(kafka.bootstrapServers());
        deadLetters = new TopicTail(kafka.bootstrapServers(), TopicCatalog.deadLetterTopicFor(TopicCatalog.PRODUCTS));
        Await.until(WAIT, "catalog-processor running", () ->
                processor.getBean(ManagedStreams.class).streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        deadLetters.close();
        outcomes.close();
        publisher.close();
        processor.close();
        postgres.close();
    }

    @Test
    void aProductPublishedWhileTheDatabaseIsDownGetsItsJobsWhenItIsBack() throws SQLException {
        double retriesBefore = outageRetries();
        postgres.close();
        Catalog.publish(publisher, List.of(Catalog.product("outage-1", "Ceramic coffee mug",
                "A glazed stoneware mug for your morning coffee.", List.of("mug"), 1800, false)));
        Await.until(WAIT, "the processor to meet the outage", () ->
                outageRetries() > retriesBefore || !deadLetters.records().isEmpty());

        postgres.restart();

        String enrichment = ProductJobs.enrichmentJobId("outage-1");
        Await.until(WAIT, enrichment + " to be queued", () ->
                outcomes.events(enrichment).stream().anyMatch(event -> event.getState() == JobState.QUEUED));
        assertThat(outcomes.events(ProductJobs.embeddingJobId("outage-1")))
                .anyMatch(event -> event.getState() == JobState.QUEUED);
        assertThat(deadLetters.records()).as("dead letters of the products topic").isEmpty();
        try (Connection connection = connect(DATABASE); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM products WHERE product_id = 'outage-1'")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }

    private static double outageRetries() {
        Counter retries = Metrics.globalRegistry.find("jobstream.database.outage.retries").counter();
        return retries == null ? 0 : retries.count();
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), PostgresInstance.USER, postgres.password());
    }
}
