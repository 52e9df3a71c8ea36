package io.jobstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/**
 * A worker stopped with calls in flight (they are abandoned, never finished) hands its work to a
 * second instance with an empty state directory: every job completes, and exactly once.
 */
class AsyncStepRecoveryIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final int JOBS = 40;

    @TempDir
    Path firstDataDir;

    @TempDir
    Path secondDataDir;

    @Test
    void workInFlightWhenAnInstanceStopsCompletesExactlyOnceOnAnother() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger firstStarted = new AtomicInteger();
        Map<String, AtomicInteger> secondCalls = new ConcurrentHashMap<>();

        // The first instance answers even-numbered jobs at once and hangs on odd ones.
        ManagedStreams first = EchoAgent.start(kafka.bootstrapServers(), firstDataDir, job -> {
            firstStarted.incrementAndGet();
            if (Integer.parseInt(job.data().getMessage()) % 2 == 1) {
                never.await();
            }
            return "first:" + job.id();
        }, AsyncStepSettings.of(32, Duration.ofMinutes(5)), RetryPolicy.DEFAULT);
        List<JobSubmission<ChatRequested>> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = "recover-" + i;
            jobs.add(JobSubmission.of(id, "chat", EchoAgent.message(id, "s-" + i, Integer.toString(i))));
        }
        try (JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "recovery-test", 1);
             TopicTail responses = new TopicTail(kafka.bootstrapServers(), TopicCatalog.CHAT_RESPONSES);
             TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS)) {
            publisher.submitAll(TopicCatalog.AGENT_CHAT, jobs);
            // Every odd job is stuck in flight (20 of 32 slots) while the even ones are answered.
            Await.until(Duration.ofSeconds(60), "all even jobs answered by the first instance",
                    () -> responses.records().size() == JOBS / 2);
            Thread.sleep(500);
            first.stop();

            ManagedStreams second = EchoAgent.start(kafka.bootstrapServers(), secondDataDir, job -> {
                secondCalls.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
                return "second:" + job.id();
            }, AsyncStepSettings.of(8, Duration.ofSeconds(30)), RetryPolicy.DEFAULT);
            try {
                Await.until(Duration.ofSeconds(90), "every job answered", () -> distinctKeys(responses) == JOBS);
                Thread.sleep(1_000);

                List<ConsumerRecord<String, byte[]>> answers = responses.records();
                Map<String, Long> perJob = answers.stream()
                        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
                assertThat(perJob).hasSize(JOBS).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
                Set<String> resumed = secondCalls.keySet();
                assertThat(resumed).as("jobs the second instance resubmitted")
                        .hasSize(JOBS / 2)
                        .allMatch(id -> Integer.parseInt(id.substring("recover-".length())) % 2 == 1);
                Function<byte[], JobEvent> decode = bytes -> AvroSerde.of(JobEvent.class).deserializer().deserialize("", bytes);
                Await.until(Duration.ofSeconds(30), "a COMPLETED event per job", () -> events.values(decode).stream()
                        .filter(e -> e.getState() == JobState.COMPLETED).map(JobEvent::getJobId).distinct().count() == JOBS);
                assertThat(firstStarted.get()).isGreaterThanOrEqualTo(JOBS / 2 + 1);
            } finally {
                second.stop();
            }
        }
    }

    private static long distinctKeys(TopicTail tail) {
        return tail.records().stream().map(ConsumerRecord::key).distinct().count();
    }
}
