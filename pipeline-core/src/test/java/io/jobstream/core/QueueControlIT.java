package io.jobstream.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.control.QueueControl;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.store.UnfinishedJob;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.ControlCommand;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/**
 * Pause, resume and cancel through {@code jobs.control}, against a real broker: a paused queue starts
 * nothing and loses nothing, a cancelled waiting job never runs, a cancelled running job is
 * interrupted, and the id can be used again afterwards.
 */
class QueueControlIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String QUEUE = TopicCatalog.AGENT_CHAT.queue();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    static final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    static final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    static final CountDownLatch blockingStarted = new CountDownLatch(1);
    static ManagedStreams agent;
    static ManagedStreams intake;
    static JobPublisher publisher;
    static TopicTail events;
    static TopicTail responses;

    @BeforeAll
    static void startAgent() {
        agent = EchoAgent.start(kafka.bootstrapServers(), dataDir, job -> {
            calls.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            startedAt.putIfAbsent(job.id(), System.nanoTime());
            if (job.data().getMessage().equals("slow")) {
                Thread.sleep(500);
            }
            if (job.data().getMessage().equals("block")) {
                blockingStarted.countDown();
                try {
                    Thread.sleep(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    interrupted.add(job.id());
                    throw e;
                }
            }
            return "echo: " + job.data().getMessage();
        }, AsyncStepSettings.of(4, Duration.ofSeconds(45)), RetryPolicy.DEFAULT);
        publisher = new JobPublisher(kafka.bootstrapServers(), "control-test", 2);
        intake = EchoAgent.startIntake(kafka.bootstrapServers(), dataDir);
        events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
        responses = new TopicTail(kafka.bootstrapServers(), TopicCatalog.CHAT_RESPONSES);
    }

    @AfterAll
    static void stopAgent() throws InterruptedException {
        agent.stop();
        intake.stop();
        publisher.close();
        events.close();
        responses.close();
    }

    @AfterEach
    void resumeQueue() {
        command(QueueControl.resume(QUEUE, Instant.now()));
    }

    @Test
    void aPausedQueueStartsNothingAndResumeRunsEveryWaitingJob() throws InterruptedException {
        command(QueueControl.pause(QUEUE, Instant.now()));
        awaitPauseInEffect();

        List<String> jobs = List.of("paused-1", "paused-2", "paused-3");
        jobs.forEach(id -> submit(id, "hello " + id));
        Await.until(WAIT, "all three QUEUED", () -> jobs.stream().allMatch(id -> hasState(id, JobState.QUEUED)));
        Thread.sleep(1_500);
        assertThat(jobs).as("jobs started while paused").noneMatch(QueueControlIT::started);
        assertThat(jobs).noneMatch(calls::containsKey);

        command(QueueControl.resume(QUEUE, Instant.now()));

        Await.until(WAIT, "every paused job completed", () -> jobs.stream().allMatch(id -> hasState(id, JobState.COMPLETED)));
        assertThat(jobs).allMatch(id -> responsesFor(id).size() == 1);
    }

    @Test
    void aCancelledWaitingJobNeverRunsAndItsIdCanBeUsedAgain() {
        command(QueueControl.pause(QUEUE, Instant.now()));
        awaitPauseInEffect();
        submit("waiting-cancel", "never");
        Await.until(WAIT, "waiting-cancel QUEUED", () -> hasState("waiting-cancel", JobState.QUEUED));

        command(QueueControl.cancel(QUEUE, "waiting-cancel", "cancelled by the test", Instant.now()));

        // Cancelled even while the queue is paused: nothing is left waiting for a resume.
        Await.until(WAIT, "waiting-cancel CANCELLED", () -> hasState("waiting-cancel", JobState.CANCELLED));
        JobEvent cancelled = history("waiting-cancel").stream().filter(e -> e.getState() == JobState.CANCELLED).findFirst().orElseThrow();
        assertThat(cancelled.getErrorMessage()).isEqualTo("cancelled by the test");
        command(QueueControl.resume(QUEUE, Instant.now()));
        submit("after-cancel", "still served");
        Await.until(WAIT, "after-cancel COMPLETED", () -> hasState("after-cancel", JobState.COMPLETED));
        assertThat(started("waiting-cancel")).isFalse();
        assertThat(calls).doesNotContainKey("waiting-cancel");
        assertThat(responsesFor("waiting-cancel")).isEmpty();

        // A new run of the same id, submitted after the cancel, is not cancelled.
        submit("waiting-cancel", "second run");
        Await.until(WAIT, "waiting-cancel's second run COMPLETED", () -> hasState("waiting-cancel", JobState.COMPLETED));
        assertThat(responsesFor("waiting-cancel")).containsExactly("echo: second run");
    }

    @Test
    void aCancelledRunningJobIsInterruptedAndEndsCancelled() throws InterruptedException {
        submit("running-cancel", "block");
        assertThat(blockingStarted.await(60, TimeUnit.SECONDS)).as("blocking job started").isTrue();
        Await.until(WAIT, "running-cancel ACTIVE", () -> hasState("running-cancel", JobState.ACTIVE));

        command(QueueControl.cancel(QUEUE, "running-cancel", null, Instant.now()));

        Await.until(WAIT, "running-cancel CANCELLED", () -> hasState("running-cancel", JobState.CANCELLED));
        Await.until(WAIT, "the handler interrupted", () -> interrupted.contains("running-cancel"));
        assertThat(history("running-cancel")).extracting(JobEvent::getState)
                .doesNotContain(JobState.COMPLETED, JobState.RETRY_SCHEDULED, JobState.DEAD_LETTERED);
        assertThat(responsesFor("running-cancel")).isEmpty();
        assertThat(calls.get("running-cancel")).hasValue(1);
    }

    @Test
    void waitingJobsStartByPriorityWithUnprioritizedJobsFirst() {
        command(QueueControl.pause(QUEUE, Instant.now()));
        awaitPauseInEffect();
        // One partition, so one task holds them all; distinct keys, so none waits behind another.
        List<String> keys = keysOfOnePartition(7);
        List<String> low = List.of("low-1", "low-2", "low-3", "low-4", "low-5");
        for (int i = 0; i < low.size(); i++) {
            submit(low.get(i), keys.get(i), 10);
        }
        submit("urgent", keys.get(5), 1);
        submit("plain", keys.get(6), null);
        Await.until(WAIT, "the worker holding all seven", () -> heldKeys().containsAll(keys));

        command(QueueControl.resume(QUEUE, Instant.now()));

        Await.until(WAIT, "all seven completed", () -> Stream.concat(low.stream(), Stream.of("urgent", "plain"))
                .allMatch(id -> hasState(id, JobState.COMPLETED)));
        // Four slots: the first four to start are plain, urgent, low-1 and low-2; the rest wait 500 ms for a slot.
        long lastOfFirstFour = Math.max(startedAt.get("plain"), startedAt.get("urgent"));
        assertThat(List.of("low-3", "low-4", "low-5")).allSatisfy(later ->
                assertThat(startedAt.get(later)).as(later + " started after the prioritized jobs").isGreaterThan(lastOfFirstFour));
    }

    /** Keys of the jobs whose records the worker holds: read, and waiting or running. */
    private static Set<String> heldKeys() {
        Set<String> keys = new HashSet<>();
        try (KeyValueIterator<String, UnfinishedJob> held = agent.streams().store(StoreQueryParameters.fromNameAndType(
                QUEUE + "-unfinished", QueryableStoreTypes.<String, UnfinishedJob>keyValueStore())).all()) {
            held.forEachRemaining(entry -> {
                if (entry.value.holdsRecord()) {
                    keys.add(entry.value.parked().key());
                }
            });
        } catch (InvalidStateStoreException starting) {
            return Set.of();
        }
        return keys;
    }

    private static List<String> keysOfOnePartition(int count) {
        int partitions = TopicCatalog.AGENT_CHAT.partitions();
        return IntStream.iterate(0, i -> i + 1)
                .mapToObj(i -> "priority-session-" + i)
                .filter(key -> Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitions == 0)
                .limit(count)
                .toList();
    }

    private static void submit(String jobId, String key, Integer priority) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat", EchoAgent.message(jobId, key, "slow"))
                .withKey(key).withPriority(priority));
    }

    /** The worker's own view of the command, through its global store. */
    private static void awaitPauseInEffect() {
        Await.until(WAIT, "the worker seeing the pause", () -> new QueueControl(agent.streams().store(
                StoreQueryParameters.fromNameAndType(QueueControl.STORE, QueryableStoreTypes.<String, ControlCommand>keyValueStore())))
                .isPaused(QUEUE));
    }

    private static void command(KeyValue<String, ControlCommand> command) {
        publisher.inTransaction(batch -> batch.publish(TopicCatalog.JOB_CONTROL, command.key, command.value));
    }

    private static void submit(String jobId, String text) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat", EchoAgent.message(jobId, "session-" + jobId, text)));
    }

    private static List<JobEvent> history(String jobId) {
        return events.records().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> AvroSerde.of(JobEvent.class).deserializer().deserialize("", r.value()))
                .toList();
    }

    private static boolean hasState(String jobId, JobState state) {
        return history(jobId).stream().anyMatch(e -> e.getState() == state);
    }

    /** Whether an attempt of the job started: an ACTIVE event, or an outcome telling its start instead. */
    private static boolean started(String jobId) {
        return history(jobId).stream().anyMatch(event -> JobEvents.startOf(event) != null);
    }

    private static List<String> responsesFor(String jobId) {
        return responses.records().stream().filter(r -> jobId.equals(r.key())).map(r -> new String(r.value(), UTF_8)).toList();
    }
}
