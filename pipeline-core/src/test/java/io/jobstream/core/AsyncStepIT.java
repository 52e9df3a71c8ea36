package io.jobstream.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.ChatRequested;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/** AsyncStep's promises: the configured number of calls really in flight, and per-key order. */
class AsyncStepIT {

    private static final Logger log = LoggerFactory.getLogger(AsyncStepIT.class);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path dataDir;

    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger maxInFlight = new AtomicInteger();
    static final Map<String, List<Integer>> seenBySession = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> inFlightBySession = new ConcurrentHashMap<>();
    static final AtomicInteger sameSessionOverlaps = new AtomicInteger();
    static ManagedStreams agent;
    static JobPublisher publisher;
    static TopicTail responses;

    @BeforeAll
    static void start() {
        agent = EchoAgent.start(kafka.bootstrapServers(), dataDir, job -> {
            ChatRequested chat = job.data();
            AtomicInteger sessionLoad = inFlightBySession.computeIfAbsent(chat.getSessionId(), s -> new AtomicInteger());
            if (sessionLoad.incrementAndGet() > 1) {
                sameSessionOverlaps.incrementAndGet();
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                seenBySession.computeIfAbsent(chat.getSessionId(), s -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(chat.getMessage()));
                Thread.sleep(chat.getSessionId().startsWith("wide") ? 500 : 20);
                return chat.getMessage();
            } finally {
                inFlight.decrementAndGet();
                sessionLoad.decrementAndGet();
            }
        }, AsyncStepSettings.of(16, Duration.ofSeconds(30)), RetryPolicy.DEFAULT);
        publisher = new JobPublisher(kafka.bootstrapServers(), "async-step-test", 1);
        responses = new TopicTail(kafka.bootstrapServers(), TopicCatalog.CHAT_RESPONSES);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        agent.stop();
        publisher.close();
        responses.close();
    }

    @Test
    void concurrency16MeansSixteenCallsInFlightAtOnceAndNoMore() {
        List<JobSubmission<ChatRequested>> jobs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String session = "wide-" + i;
            jobs.add(JobSubmission.of("wide-job-" + i, "chat", EchoAgent.message("wide-job-" + i, session, "0"))
                    .withKey(session));
        }
        maxInFlight.set(0);
        long started = System.nanoTime();
        publisher.submitAll(TopicCatalog.AGENT_CHAT, jobs);

        Await.until(Duration.ofSeconds(60), "64 slow jobs answered", () -> responseCount("wide-job-") == 64);
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info("async step measured maxInFlight={} jobs=64 callMs=500 elapsedS={}", maxInFlight.get(), seconds);

        assertThat(maxInFlight.get()).as("calls in flight at the peak").isEqualTo(16);
        // 64 calls of 500 ms, 16 at a time, need at least 4 rounds.
        assertThat(seconds).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void recordsOfOneKeyRunInOrderOneAtATimeWhileKeysRunTogether() {
        List<JobSubmission<ChatRequested>> jobs = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            for (int s = 0; s < 6; s++) {
                String session = "ordered-" + s;
                String id = "ordered-job-" + s + "-" + n;
                jobs.add(JobSubmission.of(id, "chat", EchoAgent.message(id, session, Integer.toString(n))).withKey(session));
            }
        }
        publisher.submitAll(TopicCatalog.AGENT_CHAT, jobs);

        Await.until(Duration.ofSeconds(60), "48 ordered jobs answered", () -> responseCount("ordered-job-") == 48);

        for (int s = 0; s < 6; s++) {
            assertThat(seenBySession.get("ordered-" + s)).as("session %d order", s).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        }
        assertThat(sameSessionOverlaps.get()).as("two calls of one session at once").isZero();
    }

    private static long responseCount(String prefix) {
        return responses.records().stream().filter(r -> r.key().startsWith(prefix)).map(r -> new String(r.value(), UTF_8)).count();
    }
}
