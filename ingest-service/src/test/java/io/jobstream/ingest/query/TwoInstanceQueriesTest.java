package io.jobstream.ingest.query;

import static io.jobstream.ingest.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.events.JobState;
import io.jobstream.ingest.status.JobStatusTopology;
import io.jobstream.ingest.support.EventPublisher;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of the service (same application id, one standby each) share the six partitions of
 * jobs.events. The second one joins while clients keep asking the first: during that rebalance
 * every answer must be right, a standby's answer, or 503 + Retry-After, never a 404. Afterwards
 * either instance answers for every job, lists all of them and sums the counts of both.
 */
class TwoInstanceQueriesTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Logger log = LoggerFactory.getLogger(TwoInstanceQueriesTest.class);
    private static final String APPLICATION_ID = "ingest-two-instances-test";
    private static final int JOBS = 60;
    private static final Instant T0 = Instant.parse("2026-01-31T15:30:00Z");
    private static final String STACK = "java.lang.IllegalStateException: boom\n\tat io.jobstream.Handler.run(Handler.java:7)";
    private static final List<String> QUEUES = List.of("agent.chat", "embedding", "document.ner");

    @TempDir
    static Path firstDir;
    @TempDir
    static Path secondDir;

    private static final LinkedHashMap<String, JobState> expected = new LinkedHashMap<>();
    private static final Map<String, Set<JobState>> lifecycle = new LinkedHashMap<>();
    private static final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicInteger answeredRight = new AtomicInteger();
    private static final AtomicInteger answeredStale = new AtomicInteger();
    private static final AtomicInteger answeredRetryLater = new AtomicInteger();

    private static IngestInstance first;
    private static IngestInstance second;

    @BeforeAll
    static void startFirstPublishThenJoinSecond() throws InterruptedException {
        first = IngestInstance.start(kafka.bootstrapServers(), APPLICATION_ID, firstDir, 1);
        publishJobs();
        Await.until(Duration.ofSeconds(60), "the first instance lists all " + JOBS + " jobs",
                () -> total(Http.get(first.uri("/api/jobs?limit=0"))) == JOBS);

        AtomicBoolean polling = new AtomicBoolean(true);
        List<IngestInstance> targets = new CopyOnWriteArrayList<>(List.of(first));
        Thread poller = Thread.ofPlatform().name("status-poller").start(() -> {
            while (polling.get()) {
                for (String id : expected.keySet()) {
                    targets.forEach(target -> check(target, id));
                }
            }
        });
        long joinStarted = System.nanoTime();
        second = IngestInstance.start(kafka.bootstrapServers(), APPLICATION_ID, secondDir, 1);
        targets.add(second);
        // Cooperative rebalancing takes two rounds and the new owner restores its stores: settled
        // means both own job ids and both answer for every job.
        Set<HostInfo> both = Set.of(first.hostInfo(), second.hostInfo());
        Await.until(Duration.ofSeconds(90), "both instances owning job ids and answering for all of them",
                () -> first.isRunning() && second.isRunning()
                        && owners(first).equals(both) && owners(second).equals(both)
                        && answersEveryJob(first) && answersEveryJob(second));
        log.info("second instance joined in {} ms", Duration.ofNanos(System.nanoTime() - joinStarted).toMillis());
        polling.set(false);
        poller.join();
        log.info("while joining: {} right answers, {} standby answers behind the latest state, {} retry-later answers",
                answeredRight.get(), answeredStale.get(), answeredRetryLater.get());
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
    void neverAnswered404WhileTheSecondInstanceJoined() {
        assertThat(violations).isEmpty();
        assertThat(answeredRight.get()).isPositive();
    }

    @Test
    void jobIdsAreOwnedByBothInstances() {
        Map<HostInfo, Long> idsPerOwner = expected.keySet().stream().collect(Collectors.groupingBy(
                id -> first.streams().queryMetadataForKey(JobStatusTopology.STATUS_STORE, id, new StringSerializer())
                        .activeHost(),
                Collectors.counting()));

        assertThat(idsPerOwner.keySet()).containsExactlyInAnyOrder(first.hostInfo(), second.hostInfo());
        log.info("job ids per owner: {}", idsPerOwner);
    }

    @Test
    void eitherInstanceAnswersForEveryJob() {
        for (IngestInstance instance : List.of(first, second)) {
            for (Map.Entry<String, JobState> job : expected.entrySet()) {
                Http.Response response = Http.get(instance.uri("/api/jobs/" + job.getKey()));

                assertThat(response.status()).as("%s on %s", job.getKey(), instance.hostInfo()).isEqualTo(200);
                assertThat(response.body().get("job").get("state").asString())
                        .as("%s on %s", job.getKey(), instance.hostInfo()).isEqualTo(job.getValue().name());
            }
        }
    }

    @Test
    void eitherInstanceListsEveryJob() {
        for (IngestInstance instance : List.of(first, second)) {
            Http.Response all = Http.get(instance.uri("/api/jobs?limit=100"));
            Http.Response page = Http.get(instance.uri("/api/jobs?limit=7&offset=50"));

            assertThat(total(all)).isEqualTo(JOBS);
            // Job i was enqueued i seconds after T0: newest first is job-59 down to job-00.
            List<String> expectedOrder = List.copyOf(expected.sequencedKeySet().reversed());
            assertThat(ids(all)).containsExactlyElementsOf(expectedOrder);
            assertThat(ids(page)).containsExactlyElementsOf(expectedOrder.subList(50, 57));
        }
    }

    /** A failed job's attempts come from its owner, whichever instance is asked. */
    @Test
    void eitherInstanceAnswersEveryFailedJobsAttempts() {
        List<String> failed = expected.entrySet().stream()
                .filter(job -> job.getValue() == JobState.FAILED).map(Map.Entry::getKey).toList();
        for (IngestInstance instance : List.of(first, second)) {
            for (String id : failed) {
                Http.Response response = Http.get(instance.uri("/api/jobs/" + id + "/attempts"));

                assertThat(response.status()).as("%s on %s", id, instance.hostInfo()).isEqualTo(200);
                JsonNode attempts = response.body().get("attempts");
                assertThat(attempts).as("%s on %s", id, instance.hostInfo()).hasSize(1);
                assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("failed");
                assertThat(attempts.get(0).get("message").asString()).isEqualTo("boom");
                assertThat(attempts.get(0).get("stack").asString()).isEqualTo(STACK);
            }
        }
    }

    @Test
    void queueCountsAreSummedOverBothInstances() {
        Map<String, Long> completedPerQueue = expected.entrySet().stream()
                .filter(job -> job.getValue() == JobState.COMPLETED)
                .collect(Collectors.groupingBy(job -> queueOf(job.getKey()), Collectors.counting()));
        long localTotalOfFirst = StreamSupport.stream(
                        Http.get(first.uri(InternalApi.COUNTS)).body().get("counts").spliterator(), false)
                .mapToLong(count -> count.get("count").asLong())
                .sum();

        for (IngestInstance instance : List.of(first, second)) {
            JsonNode queues = Http.get(instance.uri("/api/queues")).body().get("queues");
            long total = 0;
            for (JsonNode queue : queues) {
                total += queue.get("total").asLong();
                assertThat(queue.get("completed").asLong()).isEqualTo(completedPerQueue.getOrDefault(queue.get("name").asString(), 0L));
                assertThat(queue.get("active").asLong() + queue.get("completed").asLong() + queue.get("failed").asLong())
                        .isEqualTo(queue.get("total").asLong());
            }
            assertThat(total).isEqualTo(JOBS);
        }
        // Each instance holds only part of the counts: the API's totals really are sums.
        assertThat(localTotalOfFirst).isBetween(1L, JOBS - 1L);
    }

    /** job-00 … job-59 over three queues: completed, in progress, or failed. */
    private static void publishJobs() {
        try (EventPublisher events = new EventPublisher(kafka.bootstrapServers())) {
            for (int i = 0; i < JOBS; i++) {
                String id = "job-%02d".formatted(i);
                String queue = queueOf(id);
                Instant enqueued = T0.plusSeconds(i);
                JobState last = switch (i % 3) {
                    case 0 -> JobState.COMPLETED;
                    case 1 -> JobState.PROGRESS;
                    default -> JobState.FAILED;
                };
                events.publish(
                        event(id, queue, JobState.QUEUED, enqueued, enqueued).setData("{\"n\":" + i + "}").build(),
                        event(id, queue, JobState.ACTIVE, enqueued, enqueued.plusMillis(100)).build(),
                        event(id, queue, last, enqueued, enqueued.plusMillis(200))
                                .setProgress(last == JobState.PROGRESS ? 50 : null)
                                .setErrorMessage(last == JobState.FAILED ? "boom" : null)
                                .setErrorStack(last == JobState.FAILED ? STACK : null)
                                .build());
                expected.put(id, last);
                lifecycle.put(id, Set.of(JobState.QUEUED, JobState.ACTIVE, last));
            }
        }
    }

    /** One poll: right, a standby copy behind the latest state, or "retry later"; anything else is a violation. */
    private static void check(IngestInstance target, String id) {
        Http.Response response;
        try {
            response = Http.get(target.uri("/api/jobs/" + id));
        } catch (IllegalStateException e) {
            violations.add(id + " on " + target.hostInfo() + ": " + e.getMessage());
            return;
        }
        if (response.status() == 200) {
            JobState state = JobState.valueOf(response.body().get("job").get("state").asString());
            if (state == expected.get(id)) {
                answeredRight.incrementAndGet();
            } else if (lifecycle.get(id).contains(state)) {
                answeredStale.incrementAndGet();
            } else {
                violations.add(id + " on " + target.hostInfo() + ": wrong state " + response);
            }
        } else if (response.status() == 503 && response.retryAfter().filter("1"::equals).isPresent()) {
            answeredRetryLater.incrementAndGet();
        } else {
            violations.add(id + " on " + target.hostInfo() + ": " + response);
        }
    }

    private static boolean answersEveryJob(IngestInstance instance) {
        return expected.entrySet().stream().allMatch(job -> {
            Http.Response response = Http.get(instance.uri("/api/jobs/" + job.getKey()));
            return response.status() == 200
                    && response.body().get("job").get("state").asString().equals(job.getValue().name());
        });
    }

    private static Set<HostInfo> owners(IngestInstance instance) {
        KafkaStreams streams = instance.streams();
        Set<HostInfo> owners = new HashSet<>();
        for (String id : expected.keySet()) {
            owners.add(streams.queryMetadataForKey(JobStatusTopology.STATUS_STORE, id, new StringSerializer()).activeHost());
        }
        return owners;
    }

    private static String queueOf(String id) {
        // Queues change every third job and states every job, so each queue has every state.
        return QUEUES.get(Integer.parseInt(id.substring("job-".length())) / 3 % QUEUES.size());
    }

    private static long total(Http.Response list) {
        return list.status() == 200 ? list.body().get("total").asLong() : -1;
    }

    private static List<String> ids(Http.Response list) {
        return StreamSupport.stream(list.body().get("jobs").spliterator(), false)
                .map(job -> job.get("id").asString())
                .toList();
    }
}
