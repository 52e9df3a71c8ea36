package io.jobstream.ingest.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.topics.TopicCatalog;

/**
 * {@code POST /api/reminders} when adding the job fails (here: the queue's delay topic is gone, so the
 * add times out) while the client, tired of waiting, sends the same reminder again. Found by the chaos
 * run: the retry was answered {@code duplicate: true} for a row the first request then deleted, and the
 * acknowledged reminder was never sent.
 */
class ReminderSubmissionIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DELAY_TOPIC = TopicCatalog.queue(Reminders.QUEUE).retry();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    static Path dataDir;

    static IngestInstance ingest;

    @BeforeAll
    static void start() {
        Flyway.configure().dataSource(postgres.dataSource()).load().migrate();
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-reminder-submission-test", dataDir, postgres);
        Await.until(WAIT, "the job-status store running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void aRetriedRequestIsAnsweredOnlyWithAReminderThatStays() throws Exception {
        Admin admin = kafka.admin();
        int partitions = admin.describeTopics(List.of(DELAY_TOPIC)).allTopicNames().get().get(DELAY_TOPIC).partitions().size();
        admin.deleteTopics(List.of(DELAY_TOPIC)).all().get();
        Await.until(WAIT, DELAY_TOPIC + " to be gone", () -> !admin.listTopics().names().toCompletionStage()
                .toCompletableFuture().join().contains(DELAY_TOPIC));

        String body = """
                {"scheduleId": "slow", "userId": "user-456", "channel": "PUSH",
                 "payload": {"title": "Birthday Reminder", "body": "Sarah's birthday is tomorrow!", "data": {}},
                 "sendAt": "%s"}""".formatted(Instant.now().plus(Duration.ofHours(1)));
        CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(
                () -> Http.postJson(ingest.uri("/api/reminders"), body));
        Await.until(WAIT, "the first request to have inserted its row", ReminderSubmissionIT::rowInserted);
        CompletableFuture<Http.Response> retry = CompletableFuture.supplyAsync(
                () -> Http.postJson(ingest.uri("/api/reminders"), body));

        Http.Response failed = first.join();
        assertThat(failed.status()).as("the first request, whose job could not be added: %s", failed).isGreaterThanOrEqualTo(500);
        admin.createTopics(List.of(new NewTopic(DELAY_TOPIC, partitions, (short) 1))).all().get();

        Http.Response answered = retry.join();
        assertThat(answered.status()).as("the retry, answered once the first request had failed: %s", answered).isEqualTo(201);
        assertThat(answered.body().path("duplicate").asBoolean()).isFalse();
        Http.Response reminder = Http.get(ingest.uri("/api/reminders/slow"));
        assertThat(reminder.status()).as("the reminder the retry was told about: %s", reminder).isEqualTo(200);
        assertThat(reminder.body().path("reminder").path("status").asString()).isEqualTo("PENDING");
        Await.until(WAIT, "its job to be known", () -> Http.get(ingest.uri("/api/jobs/reminder-dispatch:slow")).status() == 200);
        assertThat(Http.get(ingest.uri("/api/jobs/reminder-dispatch:slow")).body().path("job").path("status").asString())
                .isEqualTo("delayed");
    }

    /** The row is visible (committed before its job is added), or held by an open transaction (committed after). */
    private static boolean rowInserted() {
        if (Http.get(ingest.uri("/api/reminders/slow")).status() == 200) {
            return true;
        }
        try (Connection connection = postgres.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet open = statement.executeQuery("""
                     SELECT count(*) FROM pg_stat_activity
                     WHERE state = 'idle in transaction' AND query ILIKE '%INSERT INTO notification_schedules%'""")) {
            open.next();
            return open.getLong(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
