package io.jobstream.ingest.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.dispatch.DispatchProcessorApplication;
import io.jobstream.ingest.support.Http;
import io.jobstream.store.reminder.Channel;
import io.jobstream.store.reminder.DeliveryClaim;
import io.jobstream.store.reminder.NotificationSchedule.NewReminder;
import io.jobstream.store.reminder.NotificationSchedules;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004's reminder dispatch end to end: {@code POST /api/reminders} on ingest-service, the
 * delayed {@code reminder-dispatch} job in dispatch-processor, and a real HTTP receiver per channel.
 */
class ReminderDispatchIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Seed 004's promise for a reminder's time. */
    private static final long PRECISION_MS = 1_000;
    private static final String SECRET = "push-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    static Path processorDir;

    @TempDir
    static Path ingestDir;

    /**
     * The state of the processor that takes over in {@link #aReminderWhoseWorkerStopsMidDeliveryIsSentOnce}: it
     * serves the tests after it, so its directory lives as long as the class (a method's would be deleted under it).
     */
    @TempDir
    static Path nextProcessorDir;

    static ReminderReceiver receiver;
    static ConfigurableApplicationContext processor;
    static IngestInstance ingest;

    @BeforeAll
    static void start() throws Exception {
        receiver = new ReminderReceiver();
        processor = startProcessor(processorDir);
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-reminders-test", ingestDir, postgres);
        Await.until(WAIT, "both services to run", () -> ingest.isRunning() && running(processor));
    }

    @AfterAll
    static void stop() {
        ingest.close();
        processor.close();
        receiver.close();
    }

    @Test
    void aReminderThreeSecondsAheadArrivesWithinASecondOfItsTimeExactlyOnce() throws Exception {
        Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        Http.Response created = create("on-time", "PUSH", sendAt);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("jobId").asString()).isEqualTo("reminder-dispatch:on-time");
        assertThat(created.body().path("reminder").path("status").asString()).isEqualTo("PENDING");
        assertThat(created.body().path("reminder").path("receiverStatus").isNull()).isTrue();
        Http.Response again = Http.postJson(ingest.uri("/api/reminders"), body("on-time", "PUSH", sendAt.plusSeconds(60)));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("duplicate").asBoolean()).isTrue();
        assertThat(Instant.parse(again.body().path("reminder").path("sendAt").asString())).isEqualTo(sendAt);

        JsonNode job = awaitJob("reminder-dispatch:on-time", "completed");
        List<ReminderReceiver.Received> got = receiver.received("on-time");
        assertThat(got).hasSize(1);
        assertOnTime(sendAt, got.getFirst());

        ReminderReceiver.Received request = got.getFirst();
        assertThat(request.path()).isEqualTo("/push");
        assertThat(request.signature()).isEqualTo("sha256=" + hmac(request.body()));
        JsonNode sent = JSON.readTree(request.body());
        assertThat(sent.path("scheduleId").asString()).isEqualTo("on-time");
        assertThat(sent.path("userId").asString()).isEqualTo("user-456");
        assertThat(sent.path("channel").asString()).isEqualTo("PUSH");
        assertThat(sent.path("payload").path("title").asString()).isEqualTo("Birthday Reminder");
        assertThat(sent.path("payload").path("data").path("occasionId").asString()).isEqualTo("occasion-789");
        assertThat(Instant.parse(sent.path("sendAt").asString())).isEqualTo(sendAt);

        JsonNode reminder = reminder("on-time");
        assertThat(reminder.path("status").asString()).isEqualTo("SENT");
        assertThat(reminder.path("receiverStatus").asInt()).isEqualTo(200);
        assertThat(reminder.path("attempts").asInt()).isEqualTo(1);
        assertThat(job.path("returnValue").path("status").asString()).isEqualTo("SENT");
        assertThat(job.path("data").path("payload").path("body").asString()).isEqualTo("Sarah's birthday is tomorrow!");
    }

    @Test
    void severalRemindersEachArriveWithinASecondOfTheirTime() {
        Instant first = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        List<Instant> times = IntStream.range(0, 8).mapToObj(i -> first.plusMillis(i * 350L)).toList();
        for (int i = 0; i < times.size(); i++) {
            assertThat(create("series-" + i, "PUSH", times.get(i)).status()).isEqualTo(201);
        }
        for (int i = 0; i < times.size(); i++) {
            awaitJob("reminder-dispatch:series-" + i, "completed");
            List<ReminderReceiver.Received> got = receiver.received("series-" + i);
            assertThat(got).hasSize(1);
            assertOnTime(times.get(i), got.getFirst());
        }
    }

    private static void assertOnTime(Instant sendAt, ReminderReceiver.Received received) {
        long offsetMs = Duration.between(sendAt, received.at()).toMillis();
        System.out.println("reminder precision: " + received.idempotencyKey() + " received " + offsetMs + " ms after sendAt");
        assertThat(Math.abs(offsetMs)).as("%s received %d ms from sendAt", received.idempotencyKey(), offsetMs)
                .isLessThanOrEqualTo(PRECISION_MS);
    }

    @Test
    void aReminderDueWhileTheProcessorIsStoppedIsSentOnceWhenItIsBack() {
        // Created once the processor is down, so it is due while stopped however long stopping took.
        processor.close();
        Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        assertThat(create("while-down", "PUSH", sendAt).status()).isEqualTo(201);

        Await.until(WAIT, "sendAt to pass", () -> Instant.now().isAfter(sendAt.plusSeconds(1)));
        assertThat(receiver.received("while-down")).isEmpty();
        processor = startProcessor(processorDir);
        Await.until(WAIT, "the processor to run again", () -> running(processor));
        Instant back = Instant.now();

        awaitJob("reminder-dispatch:while-down", "completed");
        List<ReminderReceiver.Received> got = receiver.received("while-down");
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().at()).isAfter(sendAt);
        System.out.println("reminder after restart: received " + Duration.between(back, got.getFirst().at()).toMillis()
                + " ms after the restarted processor was running");
        assertThat(reminder("while-down").path("status").asString()).isEqualTo("SENT");
    }

    @Test
    void aCancelledReminderIsNeverSent() {
        Instant sendAt = Instant.now().plusSeconds(3);
        assertThat(create("cancelled", "PUSH", sendAt).status()).isEqualTo(201);

        Http.Response cancelled = Http.send(Http.delete(ingest.uri("/api/reminders/cancelled")));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("reminder").path("status").asString()).isEqualTo("CANCELLED");

        JsonNode job = awaitJob("reminder-dispatch:cancelled", "completed");
        assertThat(job.path("returnValue").path("skipped").asBoolean()).isTrue();
        assertThat(job.path("returnValue").path("status").asString()).isEqualTo("CANCELLED");
        assertThat(receiver.received("cancelled")).isEmpty();
        assertThat(reminder("cancelled").path("status").asString()).isEqualTo("CANCELLED");
        assertThat(Http.send(Http.delete(ingest.uri("/api/reminders/cancelled"))).status()).isEqualTo(409);
        assertThat(Http.send(Http.delete(ingest.uri("/api/reminders/no-such"))).status()).isEqualTo(404);
    }

    /**
     * What the chaos run found (a reminder received twice): a worker whose task moves away mid-delivery
     * used to be interrupted with the request sent but its answer unrecorded, so the job's next owner sent
     * it again. The delivery now runs to its end and the next owner finds it SENT.
     */
    @Test
    void aReminderWhoseWorkerStopsMidDeliveryIsSentOnce() {
        CountDownLatch answer = receiver.hold("moving");
        assertThat(create("moving", "PUSH", Instant.now()).status()).isEqualTo(201);
        Await.until(WAIT, "the delivery to reach the receiver", () -> !receiver.received("moving").isEmpty());

        ConfigurableApplicationContext stopped = processor;
        stopped.getBean(ManagedStreams.class).stop();
        answer.countDown();
        processor = startProcessor(nextProcessorDir);
        try {
            JsonNode job = awaitJob("reminder-dispatch:moving", "completed");
            assertThat(job.path("returnValue").path("status").asString()).isEqualTo("SENT");
            assertThat(receiver.received("moving")).hasSize(1);
            JsonNode reminder = reminder("moving");
            assertThat(reminder.path("status").asString()).isEqualTo("SENT");
            assertThat(reminder.path("attempts").asInt()).isEqualTo(1);
        } finally {
            stopped.close();
        }
    }

    /**
     * A worker killed mid-delivery leaves its hold behind: no one sends the reminder (or cancels it) until the
     * hold lapses, and then it is sent once more, with the same Idempotency-Key, rather than never.
     */
    @Test
    void aHoldLeftByAWorkerKilledMidDeliveryLapsesAndTheReminderIsSent() {
        NotificationSchedules schedules = new NotificationSchedules(postgres.dataSource());
        assertThat(create("orphaned", "PUSH", Instant.now().plusSeconds(1)).status()).isEqualTo(201);
        Instant claimed = Instant.now();
        Duration hold = Duration.ofSeconds(4);
        assertThat(schedules.claimDelivery("orphaned", hold)).isInstanceOf(DeliveryClaim.Claimed.class);

        Http.Response cancel = Http.send(Http.delete(ingest.uri("/api/reminders/orphaned")));
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.body().path("error").path("reason").asString()).contains("being delivered");

        JsonNode job = awaitJob("reminder-dispatch:orphaned", "completed");
        assertThat(job.path("returnValue").path("status").asString()).isEqualTo("SENT");
        List<ReminderReceiver.Received> got = receiver.received("orphaned");
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().at()).as("sent only once the hold lapsed").isAfterOrEqualTo(claimed.plus(hold));
        assertThat(reminder("orphaned").path("status").asString()).isEqualTo("SENT");
    }

    @Test
    void aReceiverUnavailableIsRetriedWithTheSameIdempotencyKey() {
        receiver.answer("flaky", 503);
        assertThat(create("flaky", "WEBHOOK", Instant.now()).status()).isEqualTo(201);

        // The job's attempts may include one that ran before the row committed; the receiver's count is the deliveries.
        awaitJob("reminder-dispatch:flaky", "completed");
        List<ReminderReceiver.Received> got = receiver.received("flaky");
        assertThat(got).hasSize(2).allSatisfy(r -> assertThat(r.path()).isEqualTo("/webhook"));
        JsonNode reminder = reminder("flaky");
        assertThat(reminder.path("status").asString()).isEqualTo("SENT");
        assertThat(reminder.path("attempts").asInt()).isEqualTo(2);
        assertThat(reminder.path("receiverStatus").asInt()).isEqualTo(200);
    }

    @Test
    void aReceiverRefusalFailsTheReminderAtOnce() {
        receiver.answer("refused", 400);
        assertThat(create("refused", "PUSH", Instant.now()).status()).isEqualTo(201);

        JsonNode job = awaitJob("reminder-dispatch:refused", "failed");
        assertThat(job.path("failedReason").asString()).contains("receiver answered 400");
        // Failed, yet delivered once: no attempt followed the refusal (an attempt before the row committed sends nothing).
        assertThat(receiver.received("refused")).hasSize(1);
        JsonNode reminder = reminder("refused");
        assertThat(reminder.path("status").asString()).isEqualTo("FAILED");
        assertThat(reminder.path("receiverStatus").asInt()).isEqualTo(400);
    }

    @Test
    void aJobThatRunsBeforeItsRowCommitsIsRetriedUntilTheRowIsThere() {
        // The row commits just after its job is added, so a reminder due at once can find no row yet.
        Http.Response added = Http.postJson(ingest.uri("/api/queues/reminder-dispatch/jobs"), """
                {"name": "reminder-dispatch", "data": {"scheduleId": "row-late"},
                 "opts": {"jobId": "reminder-dispatch:row-late", "attempts": 10, "backoff": {"type": "fixed", "delay": 500}}}""");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        Await.until(WAIT, "the first attempt to find no row", () -> {
            JsonNode job = Http.get(ingest.uri("/api/jobs/reminder-dispatch:row-late")).body().path("job");
            return job.path("attemptsMade").asInt() >= 1;
        });

        new NotificationSchedules(postgres.dataSource()).create(new NewReminder("row-late", "user-456", Channel.PUSH,
                "Birthday Reminder", "Sarah's birthday is tomorrow!", "{}", Instant.now(), null, null,
                "reminder-dispatch:row-late"), () -> { });

        JsonNode job = awaitJob("reminder-dispatch:row-late", "completed");
        assertThat(job.path("attemptsMade").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(receiver.received("row-late")).hasSize(1);
        assertThat(reminder("row-late").path("status").asString()).isEqualTo("SENT");
    }

    @Test
    void badRequestsNameTheFieldAndCreateNothing() {
        assertField(body("bad-1", "PIGEON", Instant.now()), "channel");
        assertField(body("bad-2", "PUSH", Instant.now()).replace("\"title\": \"Birthday Reminder\",", ""), "payload.title");
        Instant now = Instant.now();
        assertField(body("bad-3", "PUSH", now).replace(now.toString(), "tomorrow"), "sendAt");
        assertField(body("bad/4", "PUSH", Instant.now()), "scheduleId");
        assertThat(Http.get(ingest.uri("/api/reminders/bad-1")).status()).isEqualTo(404);
        assertThat(Http.get(ingest.uri("/api/jobs/reminder-dispatch:bad-1")).status()).isEqualTo(404);
    }

    private static void assertField(String json, String field) {
        Http.Response answer = Http.postJson(ingest.uri("/api/reminders"), json);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body().path("error").path("field").asString()).isEqualTo(field);
    }

    private static Http.Response create(String scheduleId, String channel, Instant sendAt) {
        return Http.postJson(ingest.uri("/api/reminders"), body(scheduleId, channel, sendAt));
    }

    private static String body(String scheduleId, String channel, Instant sendAt) {
        return """
                {"scheduleId": "%s", "userId": "user-456", "channel": "%s",
                 "payload": {"title": "Birthday Reminder", "body": "Sarah's birthday is tomorrow!", "data": {"occasionId": "occasion-789"}},
                 "sendAt": "%s", "occasionId": "occasion-789", "triggeredBy": "scheduler"}""".formatted(scheduleId, channel, sendAt);
    }

    private static JsonNode reminder(String scheduleId) {
        Http.Response answer = Http.get(ingest.uri("/api/reminders/" + scheduleId));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.body().path("reminder");
    }

    private static JsonNode awaitJob(String jobId, String status) {
        JsonNode[] job = new JsonNode[1];
        Await.until(WAIT, jobId + " to be " + status, () -> {
            Http.Response answer = Http.get(ingest.uri("/api/jobs/" + jobId));
            job[0] = answer.body().path("job");
            return answer.status() == 200 && status.equals(job[0].path("status").asString());
        });
        return job[0];
    }

    private static ConfigurableApplicationContext startProcessor(Path dataDir) {
        String[] arguments = ServiceArguments.processor(FreePorts.next(), kafka, postgres, dataDir,
                "--jobstream.kafka.application-id=dispatch-reminders-test",
                "--jobstream.reminders.channels.push.url=" + receiver.uri("/push"),
                "--jobstream.reminders.channels.push.secret=" + SECRET,
                "--jobstream.reminders.channels.webhook.url=" + receiver.uri("/webhook"),
                "--jobstream.queues.reminder-dispatch.retry.base-delay=200ms",
                // A delivery held by the receiver (aReminderWhoseWorkerStopsMidDeliveryIsSentOnce) must not time out.
                "--jobstream.reminders.timeout=60s",
                "--jobstream.reminders.delivery-hold=150s");
        return DispatchProcessorApplication.builder().run(arguments);
    }

    private static boolean running(ConfigurableApplicationContext context) {
        return context.getBean(ManagedStreams.class).streams().state() == KafkaStreams.State.RUNNING;
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
