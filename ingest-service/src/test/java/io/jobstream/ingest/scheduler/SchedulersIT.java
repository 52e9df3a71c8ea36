package io.jobstream.ingest.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.events.JobRequested;
import io.jobstream.ingest.IngestApplication;
import io.jobstream.ingest.support.CommittedRecords;
import io.jobstream.ingest.support.CommittedRecords.Committed;
import io.jobstream.ingest.support.Http;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.ServiceProcess;
import tools.jackson.databind.JsonNode;

/**
 * Job schedulers across two ingest-service instances, each in its own process so one can be killed
 * with SIGKILL. A scheduler's ticks are owned by one stream task, so each tick is one job, never two,
 * whatever instance runs the task and whenever it crashes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulersIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Logger log = LoggerFactory.getLogger(SchedulersIT.class);
    private static final String QUEUE = "ticks";
    private static final String REQUESTS = QUEUE + ".requests";
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    private static final List<Instance> instances = new ArrayList<>();

    private record Instance(String name, int port, ServiceProcess process) {

        URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        /** Listening, and answering for the schedulers of every partition (not rebalancing). */
        boolean isUp() {
            try {
                return Http.get(uri("/api/queues/" + QUEUE + "/schedulers")).status() == 200;
            } catch (IllegalStateException notListening) {
                return false;
            }
        }
    }

    @BeforeAll
    static void startTwoInstances() {
        for (String name : List.of("ingest-a", "ingest-b")) {
            int port = FreePorts.next();
            ServiceProcess process = ServiceProcess.start(dir.resolve(name), IngestApplication.class.getName(), List.of(
                    "--server.port=" + port,
                    "--spring.main.banner-mode=off",
                    "--jobstream.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--jobstream.kafka.application-id=schedulers-it",
                    "--jobstream.kafka.data-dir=" + dir.resolve(name).resolve("data"),
                    "--jobstream.kafka.instance-id=" + name,
                    "--jobstream.kafka.commit-interval=100ms",
                    // A queue declared here only: no worker takes its jobs, so the topic keeps every tick.
                    "--jobstream.queues." + QUEUE + ".partitions=3"));
            instances.add(new Instance(name, port, process));
        }
        for (Instance instance : instances) {
            Await.until(STARTUP, instance.name() + " up\n" + instance.process().logTail(), instance::isUp);
        }
    }

    @AfterAll
    static void stop() {
        instances.forEach(instance -> instance.process().close());
    }

    @Test
    @Order(1)
    void anEverySecondSchedulerFiresTenJobsInTenSecondsOnceEach() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        Instant end = start.plusSeconds(9);
        upsert(instances.get(0), "steady", """
                {"every": 1000, "startDate": "%s", "endDate": "%s", "template": {"name": "tick", "data": {"n": 1}}}
                """.formatted(start, end));

        Await.until(Duration.ofSeconds(60), "the steady scheduler done (no next run)",
                () -> Instant.now().isAfter(end) && isDone(instances.get(1), "steady"));
        List<Committed<JobRequested>> ticks = ticks("steady");

        assertThat(ticks).hasSizeBetween(9, 11);
        assertThat(duplicates(ticks)).isEmpty();
        assertThat(ticks).allSatisfy(tick -> assertThat(tickTime(tick)).isBetween(start, end));
        assertThat(catchUps(ticks)).isEmpty();
        Http.Response view = Http.get(instances.get(1).uri("/api/queues/" + QUEUE + "/schedulers/steady"));
        assertThat(view.body().get("scheduler").get("count").asLong()).isEqualTo(ticks.size());
        log.info("tick lateness (fired - tick) ms: {}", ticks.stream().map(SchedulersIT::lateMillis).toList());
    }

    @Test
    @Order(2)
    void aKilledOwnerRestartsWithoutFiringATickTwiceAndADeletedSchedulerStops() {
        upsert(instances.get(1), "crash", """
                {"every": 1000, "template": {"name": "tick", "data": {}}}
                """);
        Await.until(Duration.ofSeconds(60), "three ticks of the crash scheduler", () -> ticks("crash").size() >= 3);
        Instance owner = instances.stream()
                .filter(instance -> instance.process().logTail().contains("job scheduler upserted schedulerId=crash"))
                .findFirst().orElseThrow(() -> new AssertionError("no instance logged the crash scheduler"));

        owner.process().kill();
        Instant killedAt = Instant.now();
        int beforeKill = ticks("crash").size();
        owner.process().restart();
        Await.until(STARTUP, owner.name() + " up again\n" + owner.process().logTail(), owner::isUp);
        Await.until(Duration.ofSeconds(90), "three more ticks after the restart",
                () -> ticks("crash").size() >= beforeKill + 3);

        Http.Response deleted = Http.send(Http.delete(instances.get(0).uri("/api/queues/" + QUEUE + "/schedulers/crash")));
        assertThat(deleted.status()).isEqualTo(200);
        // Gone from its owner's store: no punctuation fires it any more; one tick may still be committing.
        Await.until(Duration.ofSeconds(60), "the crash scheduler gone from its owner's store",
                () -> Http.get(instances.get(1).uri("/api/queues/" + QUEUE + "/schedulers/crash")).status() == 404);
        int atDelete = ticks("crash").size();
        // Time has passed for the deleted scheduler when another one has ticked twice since.
        upsert(instances.get(0), "probe", """
                {"every": 500, "template": {"name": "tick", "data": {}}}
                """);
        Await.until(Duration.ofSeconds(60), "two probe ticks", () -> ticks("probe").size() >= 2);

        List<Committed<JobRequested>> ticks = ticks("crash");
        assertThat(duplicates(ticks)).isEmpty();
        // The store's state and the fired job commit together: the one tick in flight at the delete, at most.
        assertThat(ticks.size()).isLessThanOrEqualTo(atDelete + 1);
        // Ticks missed while the owner was down fire once on recovery, not once per missed tick: each
        // tick after a fired one is later than that firing, however late it was (load, a crash).
        assertThat(catchUps(ticks)).isEmpty();
        long late = ticks.stream().filter(tick -> lateMillis(tick) > 1_500).count();
        log.info("owner {} killed at {}: {} ticks before, {} in all, {} fired over 1.5 s late; lateness ms {}",
                owner.name(), killedAt, beforeKill, ticks.size(), late,
                ticks.stream().map(SchedulersIT::lateMillis).toList());
    }

    @Test
    @Order(3)
    void theDeclaredDailyCuratedCollectionsSchedulersExistOncePerSurface() {
        Instant fiveToday = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(5));
        Instant expectedNext = fiveToday.isAfter(Instant.now()) ? fiveToday : fiveToday.plus(Duration.ofDays(1));
        for (Instance instance : instances) {
            Http.Response response = Http.get(instance.uri("/api/queues/curated-collections/schedulers"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().path("schedulers").valueStream().map(scheduler -> scheduler.path("id").asString()))
                    .containsExactlyInAnyOrder("curated-collections-home", "curated-collections-discovery",
                            "curated-collections-occasion");
            assertThat(response.body().path("schedulers").valueStream()).allSatisfy(scheduler -> {
                assertThat(scheduler.path("pattern").asString()).isEqualTo("0 5 * * *");
                assertThat(Instant.parse(scheduler.path("nextRun").asString())).isEqualTo(expectedNext);
            });
        }
    }

    /** PUTs the scheduler, again after a 503 (the instance is rebalancing), as the answer asks a client to. */
    private static void upsert(Instance instance, String id, String json) {
        HttpRequest put = HttpRequest.newBuilder(instance.uri("/api/queues/" + QUEUE + "/schedulers/" + id))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        Http.Response[] response = new Http.Response[1];
        Await.until(Duration.ofSeconds(60), "an answer other than 503 to PUT scheduler " + id,
                () -> (response[0] = Http.send(put)).status() != 503);
        assertThat(response[0].status()).as("PUT scheduler %s: %s", id, response[0].body()).isEqualTo(201);
    }

    /** Known to the instance (maybe through its peer) and without a next run. */
    private static boolean isDone(Instance instance, String id) {
        Http.Response response = Http.get(instance.uri("/api/queues/" + QUEUE + "/schedulers/" + id));
        if (response.status() != 200) {
            return false;
        }
        JsonNode nextRun = response.body().get("scheduler").path("nextRun");
        return nextRun.isMissingNode() || nextRun.isNull();
    }

    private static List<Committed<JobRequested>> ticks(String schedulerId) {
        return CommittedRecords.read(kafka.bootstrapServers(), REQUESTS, JobRequested.class,
                        key -> key.startsWith(schedulerId + ":")).stream()
                .sorted(Comparator.comparing(SchedulersIT::tickTime))
                .toList();
    }

    private static Map<String, Long> duplicates(List<Committed<JobRequested>> ticks) {
        return ticks.stream()
                .collect(Collectors.groupingBy(Committed::key, Collectors.counting()))
                .entrySet().stream()
                .filter(entry -> entry.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Ticks due before the previous tick was fired: a scheduler catching up on missed ticks one by one. */
    private static List<String> catchUps(List<Committed<JobRequested>> ticks) {
        List<String> catchUps = new ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) {
            if (tickTime(ticks.get(i)).toEpochMilli() <= ticks.get(i - 1).timestamp()) {
                catchUps.add(ticks.get(i).key() + " after " + ticks.get(i - 1).key() + " fired at " + ticks.get(i - 1).timestamp());
            }
        }
        return catchUps;
    }

    private static Instant tickTime(Committed<JobRequested> tick) {
        return Instant.ofEpochMilli(Long.parseLong(tick.key().substring(tick.key().lastIndexOf(':') + 1)));
    }

    private static long lateMillis(Committed<JobRequested> tick) {
        return tick.timestamp() - tickTime(tick).toEpochMilli();
    }
}
