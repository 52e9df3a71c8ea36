package io.jobstream.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.config.QueueProperties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.control.QueueControl;
import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.metrics.JobMetrics;
import io.jobstream.core.retry.JobDeferredException;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.events.ControlCommand;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobLog;
import io.jobstream.events.JobState;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A {@link QueueWorker} in a {@link TopologyTestDriver}. Handlers run on virtual threads and their
 * outcomes are forwarded from wall-clock punctuations, so each test advances the driver's clock
 * until what it expects appears.
 */
class QueueWorkerTopologyTest {

    private static final QueueTopics QUEUE = TopicCatalog.queue("thumbnails");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TICK = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(1);
    /** No jitter, so due times are exact: 2 s, then 4 s. */
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 0);

    private static final Behaviour SUCCEED = job -> "done:" + job.data();
    private static final Behaviour TRANSIENT = job -> {
        throw new TransientJobException("provider unavailable");
    };

    @TempDir
    Path stateDir;

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    /** Every handler invocation, as {@code jobId#attempt}. */
    private final List<String> runs = new CopyOnWriteArrayList<>();
    private final CountDownLatch unblock = new CountDownLatch(1);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> requests;
    private TestInputTopic<String, String> retries;
    private TestInputTopic<String, ControlCommand> control;
    private Captured<JobEvent> events;
    private Captured<JobLog> logs;
    private Captured<String> retried;
    private Captured<String> released;
    private Captured<String> deadLetters;
    private Captured<byte[]> controlOut;

    @BeforeEach
    void startDriver() {
        startDriver(QueueProperties.Queue.DEFAULTS.asyncStep());
    }

    private void startDriver(AsyncStepSettings settings) {
        Topology topology = QueueWorker
                .forQueue(QUEUE, Serdes.String(), (Job<String> job) -> {
                    runs.add(job.id() + "#" + job.attempt());
                    return behaviours.getOrDefault(job.id(), SUCCEED).run(job);
                })
                .retry(RETRY)
                .concurrency(settings)
                .metrics(new JobMetrics(meters))
                .build()
                .addTo(new Topology());
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "queue-worker-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, config, START);

        StringSerializer strings = new StringSerializer();
        requests = driver.createInputTopic(QUEUE.requests(), strings, strings);
        retries = driver.createInputTopic(QUEUE.retry(), strings, strings);
        control = driver.createInputTopic(TopicCatalog.JOB_CONTROL, strings, AvroSerde.of(ControlCommand.class).serializer());
        StringDeserializer text = new StringDeserializer();
        events = new Captured<>(driver.createOutputTopic(TopicCatalog.JOB_EVENTS, text, AvroSerde.of(JobEvent.class).deserializer()));
        logs = new Captured<>(driver.createOutputTopic(TopicCatalog.JOB_LOGS, text, AvroSerde.of(JobLog.class).deserializer()));
        retried = new Captured<>(driver.createOutputTopic(QUEUE.retry(), text, text));
        released = new Captured<>(driver.createOutputTopic(QUEUE.requests(), text, text));
        deadLetters = new Captured<>(driver.createOutputTopic(QUEUE.deadLetters(), text, text));
        controlOut = new Captured<>(driver.createOutputTopic(TopicCatalog.JOB_CONTROL, text, new ByteArrayDeserializer()));
    }

    @AfterEach
    void closeDriver() {
        unblock.countDown();
        driver.close();
    }

    @Test
    void aSecondSubmissionOfAnUnfinishedJobIsDroppedButItsOwnRetryRuns() {
        behaviours.put("dup", job -> {
            if (job.attempt() == 1) {
                throw new TransientJobException("first attempt fails");
            }
            return "ok";
        });
        submit("dup", START, new RecordHeaders());
        advanceUntil("dup's retry is scheduled", () -> event("dup", JobState.RETRY_SCHEDULED) != null);

        submit("dup", START.plusMillis(1), new RecordHeaders());
        assertThat(starts("dup")).as("attempts of dup started").hasSize(1);

        driver.advanceWallClockTime(RETRY.baseDelay());
        advanceUntil("dup completes", () -> event("dup", JobState.COMPLETED) != null);
        assertThat(runs).containsExactly("dup#1", "dup#2");
        assertThat(event("dup", JobState.COMPLETED).getAttempt()).isEqualTo(2);
    }

    @Test
    void aJobEndingBeforeItIsAnnouncedPublishesNoActiveAndItsCompletionTellsWhenItStarted() {
        submit("quick", START, new RecordHeaders());
        awaitAttemptsEnded(1);

        advanceUntil("quick completes", () -> event("quick", JobState.COMPLETED) != null);
        assertThat(states("quick")).containsExactly(JobState.COMPLETED);
        assertThat(event("quick", JobState.COMPLETED).getStartedAt()).isEqualTo(START);
    }

    @Test
    void aJobRunningAtATickIsAnnouncedOnceWithItsStart() {
        CountDownLatch finish = new CountDownLatch(1);
        behaviours.put("slow", job -> {
            finish.await();
            return "done";
        });
        submit("slow", START, new RecordHeaders());
        advanceUntil("slow is announced", () -> event("slow", JobState.ACTIVE) != null);
        for (int tick = 0; tick < 5; tick++) {
            driver.advanceWallClockTime(TICK);
        }

        finish.countDown();
        advanceUntil("slow completes", () -> event("slow", JobState.COMPLETED) != null);
        assertThat(states("slow")).containsExactly(JobState.ACTIVE, JobState.COMPLETED);
        assertThat(event("slow", JobState.ACTIVE).getTimestamp()).as("when it started, not when it was announced").isEqualTo(START);
        assertThat(event("slow", JobState.COMPLETED).getStartedAt()).as("told by its ACTIVE").isNull();
    }

    @Test
    void aJobsFirstProgressAnnouncesItFirst() {
        behaviours.put("reporting", job -> {
            job.progress(40, "resize");
            return "done";
        });
        submit("reporting", START, new RecordHeaders());

        advanceUntil("reporting completes", () -> event("reporting", JobState.COMPLETED) != null);
        assertThat(states("reporting")).containsExactly(JobState.ACTIVE, JobState.PROGRESS, JobState.COMPLETED);
        assertThat(event("reporting", JobState.ACTIVE).getTimestamp()).isEqualTo(START);
        assertThat(event("reporting", JobState.COMPLETED).getStartedAt()).isNull();
    }

    @Test
    void aTransientFailureSchedulesTheNextAttemptAfterTheBackoff() {
        behaviours.put("flaky", TRANSIENT);
        submit("flaky", START, new RecordHeaders());

        advanceUntil("flaky's retry record", () -> !retried.all().isEmpty());
        TestRecord<String, String> retry = retried.all().getFirst();
        long failedAt = retry.timestamp();
        assertThat(retry.key()).isEqualTo("flaky");
        assertThat(retry.value()).isEqualTo("data-flaky");
        assertThat(header(retry.headers(), JobHeaders.ATTEMPT)).isEqualTo("2");
        assertThat(header(retry.headers(), JobHeaders.DUE_AT)).isEqualTo(String.valueOf(failedAt + 2_000));
        assertThat(header(retry.headers(), JobHeaders.FIRST_FAILURE_AT)).isEqualTo(String.valueOf(failedAt));

        JobEvent scheduled = event("flaky", JobState.RETRY_SCHEDULED);
        assertThat(scheduled.getAttempt()).isEqualTo(1);
        assertThat(scheduled.getDueAt()).isEqualTo(Instant.ofEpochMilli(failedAt + 2_000));
        assertThat(scheduled.getErrorClass()).isEqualTo(TransientJobException.class.getName());
        assertThat(scheduled.getErrorStack()).as("the handler's stack")
                .startsWith(TransientJobException.class.getName() + ": provider unavailable")
                .contains("at " + QueueWorkerTopologyTest.class.getName() + ".lambda$");
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void aJobsOwnBackoffTravelsWithItThroughTheRetryTopicAndTheTimer() {
        behaviours.put("fixed", TRANSIENT);
        behaviours.put("exponential", TRANSIENT);
        submit("fixed", START, backoff(RetryPolicy.FIXED, 500));
        submit("exponential", START, backoff(RetryPolicy.EXPONENTIAL, 500));

        advanceUntil("both second attempts scheduled", () -> retriesFor(2).size() == 2);
        assertThat(delayOf(retryOf("fixed", 2))).isEqualTo(500);
        assertThat(delayOf(retryOf("exponential", 2))).isEqualTo(500);

        driver.advanceWallClockTime(Duration.ofMillis(500));
        advanceUntil("both third attempts scheduled", () -> retriesFor(3).size() == 2);
        for (TestRecord<String, String> again : released.all()) {
            assertThat(header(again.headers(), JobHeaders.BACKOFF_DELAY)).isEqualTo("500");
            assertThat(header(again.headers(), JobHeaders.TIMEOUT)).isEqualTo("30000");
        }
        assertThat(released.all()).filteredOn(again -> header(again.headers(), JobHeaders.ATTEMPT).equals("2"))
                .extracting(TestRecord::key).containsExactlyInAnyOrder("fixed", "exponential");
        // The queue's own back-off would wait 4 s after the second attempt.
        assertThat(delayOf(retryOf("fixed", 3))).isEqualTo(500);
        assertThat(delayOf(retryOf("exponential", 3))).isEqualTo(1_000);
    }

    @Test
    void aJobsTimeoutOverridesTheQueues() {
        behaviours.put("slow", job -> {
            unblock.await();
            return "too late";
        });
        Headers headers = new RecordHeaders();
        JobHeaders.put(headers, JobHeaders.TIMEOUT, 50);
        submit("slow", START, headers);

        // The queue's limit is 60 s; only the job's own 50 ms ends the attempt within the wait.
        advanceUntil("slow times out", () -> event("slow", JobState.RETRY_SCHEDULED) != null);
        assertThat(event("slow", JobState.RETRY_SCHEDULED).getErrorClass()).isEqualTo("java.util.concurrent.TimeoutException");
    }

    @Test
    void aDeferredJobRunsTheSameAttemptLater() {
        behaviours.put("throttled", job -> {
            if (runs.size() == 1) {
                throw new JobDeferredException("no rate-limit token", Duration.ofMillis(300));
            }
            return "ok";
        });
        submit("throttled", START, new RecordHeaders());

        advanceUntil("throttled is deferred", () -> !retried.all().isEmpty());
        TestRecord<String, String> deferred = retried.all().getFirst();
        assertThat(header(deferred.headers(), JobHeaders.DUE_AT)).isEqualTo(String.valueOf(deferred.timestamp() + 300));
        assertThat(event("throttled", JobState.DELAYED).getDueAt()).isEqualTo(Instant.ofEpochMilli(deferred.timestamp() + 300));
        assertThat(event("throttled", JobState.RETRY_SCHEDULED)).isNull();

        driver.advanceWallClockTime(Duration.ofMillis(300));
        advanceUntil("throttled completes", () -> event("throttled", JobState.COMPLETED) != null);
        assertThat(runs).as("a deferral uses no attempt").containsExactly("throttled#1", "throttled#1");
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnceWithWhyAndWhere() {
        behaviours.put("bad", job -> {
            throw new PermanentJobException("invalid image");
        });
        submit("bad", START, new RecordHeaders());

        advanceUntil("bad is dead-lettered", () -> !deadLetters.all().isEmpty());
        TestRecord<String, String> dead = deadLetters.all().getFirst();
        assertThat(dead.key()).isEqualTo("bad");
        assertThat(dead.value()).isEqualTo("data-bad");
        Headers headers = dead.headers();
        assertThat(header(headers, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(QUEUE.requests());
        assertThat(header(headers, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(header(headers, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(headers, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(PermanentJobException.class.getName());
        assertThat(header(headers, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("invalid image");
        assertThat(header(headers, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(header(headers, DeadLetterHeaders.FIRST_FAILURE_AT)).isEqualTo(String.valueOf(dead.timestamp()));
        assertThat(header(headers, DeadLetterHeaders.LAST_FAILURE_AT)).isEqualTo(String.valueOf(dead.timestamp()));
        assertThat(header(headers, DeadLetterHeaders.STEP)).isEqualTo(QUEUE.queue());
        assertThat(header(headers, JobHeaders.JOB_ID)).isEqualTo("bad");
        assertThat(event("bad", JobState.DEAD_LETTERED).getErrorClass()).isEqualTo(PermanentJobException.class.getName());
        assertThat(event("bad", JobState.DEAD_LETTERED).getErrorStack())
                .startsWith(PermanentJobException.class.getName() + ": invalid image")
                .contains("at " + QueueWorkerTopologyTest.class.getName() + ".lambda$");
        assertThat(retried.all()).isEmpty();
    }

    @Test
    void aTransientFailureOfTheLastAttemptIsDeadLettered() {
        behaviours.put("tired", TRANSIENT);
        Headers headers = new RecordHeaders();
        JobHeaders.put(headers, JobHeaders.ATTEMPT, RETRY.attempts());
        JobHeaders.put(headers, JobHeaders.FIRST_FAILURE_AT, START.minusSeconds(6).toEpochMilli());
        submit("tired", START, headers);

        advanceUntil("tired is dead-lettered", () -> !deadLetters.all().isEmpty());
        Headers dead = deadLetters.all().getFirst().headers();
        assertThat(header(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(TransientJobException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.FIRST_FAILURE_AT)).isEqualTo(String.valueOf(START.minusSeconds(6).toEpochMilli()));
        assertThat(event("tired", JobState.DEAD_LETTERED).getAttempt()).isEqualTo(3);
        assertThat(retried.all()).isEmpty();
    }

    @Test
    void theTimerHoldsARecordUntilItIsDue() {
        Headers headers = new RecordHeaders();
        JobHeaders.put(headers, JobHeaders.JOB_ID, "later");
        JobHeaders.put(headers, JobHeaders.ENQUEUED_AT, START.toEpochMilli());
        JobHeaders.put(headers, JobHeaders.DUE_AT, START.plusSeconds(5).toEpochMilli());
        retries.pipeInput(new TestRecord<>("later", "data-later", headers, START));

        driver.advanceWallClockTime(Duration.ofMillis(4_900));
        assertThat(released.all()).isEmpty();

        driver.advanceWallClockTime(Duration.ofMillis(200));
        assertThat(released.all()).extracting(TestRecord::key).containsExactly("later");
        advanceUntil("later completes", () -> event("later", JobState.COMPLETED) != null);
        assertThat(runs).containsExactly("later#1");
    }

    @Test
    void aPromotedJobIsReleasedAtOnce() {
        Instant dueAt = START.plus(Duration.ofHours(1));
        Headers headers = new RecordHeaders();
        JobHeaders.put(headers, JobHeaders.JOB_ID, "delayed");
        JobHeaders.put(headers, JobHeaders.ENQUEUED_AT, START.toEpochMilli());
        JobHeaders.put(headers, JobHeaders.DUE_AT, dueAt.toEpochMilli());
        retries.pipeInput(new TestRecord<>("delayed", "data-delayed", headers, START));
        driver.advanceWallClockTime(Duration.ofMillis(200));
        assertThat(released.all()).isEmpty();

        pipe(QueueControl.promote("other-queue", "delayed", dueAt, START));
        pipe(QueueControl.promote(QUEUE.queue(), "never-parked", dueAt, START));
        driver.advanceWallClockTime(Duration.ofMillis(200));
        assertThat(released.all()).as("released by promotions of other jobs").isEmpty();

        pipe(QueueControl.promote(QUEUE.queue(), "delayed", dueAt, START));
        advanceUntil("delayed is released", () -> !released.all().isEmpty());
        TestRecord<String, String> promoted = released.all().getFirst();
        assertThat(promoted.key()).isEqualTo("delayed");
        assertThat(Long.parseLong(header(promoted.headers(), JobHeaders.DUE_AT))).isLessThan(dueAt.toEpochMilli());
        advanceUntil("delayed completes", () -> event("delayed", JobState.COMPLETED) != null);
        assertThat(runs).containsExactly("delayed#1");
        assertThat(controlOut.all()).as("the spent promotion is tombstoned")
                .anySatisfy(command -> assertThat(command.key()).isEqualTo(QueueControl.promoteKey("delayed")))
                .allSatisfy(command -> assertThat(command.value()).isNull());
    }

    @Test
    void aPausedQueueStartsNothingUntilResumed() {
        pipe(QueueControl.pause(QUEUE.queue(), START));
        submit("waiting", START, new RecordHeaders());
        for (int tick = 0; tick < 10; tick++) {
            driver.advanceWallClockTime(TICK);
        }
        assertThat(starts("waiting")).isEmpty();
        assertThat(runs).isEmpty();

        pipe(QueueControl.resume(QUEUE.queue(), START.plusMillis(1)));
        advanceUntil("waiting completes", () -> event("waiting", JobState.COMPLETED) != null);
        assertThat(runs).containsExactly("waiting#1");
    }

    @Test
    void jobsThatWaitTogetherRunByPriority() {
        restartDriver(AsyncStepSettings.of(1, Duration.ofSeconds(30)));

        assertThat(runOrderAfterResume()).containsExactly("p1#1", "p2#1", "p3#1");
    }

    @Test
    void aQueueDeclaredWithoutPriorityKeepsArrivalOrder() {
        restartDriver(AsyncStepSettings.of(1, Duration.ofSeconds(30)).withPrioritized(false));

        assertThat(runOrderAfterResume()).containsExactly("p3#1", "p1#1", "p2#1");
    }

    /** Three jobs submitted to a paused queue with priorities 3, 1, 2; the order they run in once it resumes. */
    private List<String> runOrderAfterResume() {
        pipe(QueueControl.pause(QUEUE.queue(), START));
        for (int priority : new int[] {3, 1, 2}) {
            Headers headers = new RecordHeaders();
            JobHeaders.put(headers, JobHeaders.PRIORITY, priority);
            submit("p" + priority, START, headers);
        }
        pipe(QueueControl.resume(QUEUE.queue(), START.plusMillis(1)));
        advanceUntil("all three complete", () -> Stream.of("p1", "p2", "p3")
                .allMatch(id -> event(id, JobState.COMPLETED) != null));
        return runs;
    }

    private void restartDriver(AsyncStepSettings settings) {
        driver.close();
        startDriver(settings);
    }

    @Test
    void aCancelledWaitingJobEndsCancelledWithoutRunning() {
        pipe(QueueControl.pause(QUEUE.queue(), START));
        submit("doomed", START, new RecordHeaders());
        pipe(QueueControl.cancel(QUEUE.queue(), "doomed", "no longer wanted", START));

        advanceUntil("doomed is cancelled", () -> event("doomed", JobState.CANCELLED) != null);
        assertThat(event("doomed", JobState.CANCELLED).getErrorMessage()).isEqualTo("no longer wanted");
        assertThat(controlOut.all()).as("the cancel that took effect is tombstoned").singleElement()
                .satisfies(command -> assertThat(command.key()).isEqualTo(QueueControl.jobKey("doomed")))
                .satisfies(command -> assertThat(command.value()).isNull());

        pipe(QueueControl.resume(QUEUE.queue(), START.plusMillis(1)));
        for (int tick = 0; tick < 10; tick++) {
            driver.advanceWallClockTime(TICK);
        }
        assertThat(starts("doomed")).isEmpty();
        assertThat(runs).isEmpty();
        assertThat(retried.all()).isEmpty();
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void aNewRunOfACancelledJobKeepsItsIdTakenWhenTheOldRunEnds() {
        pipe(QueueControl.pause(QUEUE.queue(), START));
        submit("again", START, new RecordHeaders());
        pipe(QueueControl.cancel(QUEUE.queue(), "again", "replaced", START));
        submit("again", START.plusMillis(1), new RecordHeaders());
        advanceUntil("the first run is cancelled", () -> event("again", JobState.CANCELLED) != null);

        submit("again", START.plusMillis(2), new RecordHeaders());
        pipe(QueueControl.resume(QUEUE.queue(), START.plusMillis(3)));
        advanceUntil("the second run completes", () -> event("again", JobState.COMPLETED) != null);
        for (int tick = 0; tick < 10; tick++) {
            driver.advanceWallClockTime(TICK);
        }
        assertThat(runs).as("the third submission arrived while the second run was unfinished").containsExactly("again#1");
        assertThat(events("again", JobState.COMPLETED)).singleElement()
                .satisfies(completed -> assertThat(completed.getEnqueuedAt()).isEqualTo(START.plusMillis(1)));
    }

    @Test
    void aRunningJobThatIsCancelledEndsCancelled() {
        behaviours.put("stuck", job -> {
            unblock.await();
            return "finished anyway";
        });
        submit("stuck", START, new RecordHeaders());
        advanceUntil("stuck runs", () -> runs.contains("stuck#1"));

        pipe(QueueControl.cancel(QUEUE.queue(), "stuck", null, START));
        advanceUntil("stuck is cancelled", () -> event("stuck", JobState.CANCELLED) != null);
        assertThat(event("stuck", JobState.CANCELLED).getErrorMessage()).isEqualTo("job stuck was cancelled");
        assertThat(event("stuck", JobState.COMPLETED)).isNull();
        assertThat(meters.get(JobMetrics.CANCELLED).tags(Tags.of("queue", QUEUE.queue())).counter().count()).isEqualTo(1);
        assertThat(meters.find(JobMetrics.COMPLETED).counter()).isNull();
    }

    @Test
    void jobLogLinesArePublishedBoundedPerAttempt() {
        behaviours.put("chatty", job -> {
            job.log("resizing");
            job.log("x".repeat(Job.MAX_LOG_LINE_CHARS + 5));
            for (int i = 0; i < Job.MAX_LOG_LINES; i++) {
                job.log("line " + i);
            }
            return "done";
        });
        submit("chatty", START, new RecordHeaders());

        advanceUntil("chatty completes", () -> event("chatty", JobState.COMPLETED) != null);
        List<TestRecord<String, JobLog>> lines = logs.all();
        assertThat(lines).hasSize(Job.MAX_LOG_LINES);
        assertThat(lines).extracting(TestRecord::key).containsOnly("chatty");
        JobLog first = lines.getFirst().value();
        assertThat(first.getLine()).isEqualTo("resizing");
        assertThat(first.getQueue()).isEqualTo(QUEUE.queue());
        assertThat(first.getAttempt()).isEqualTo(1);
        assertThat(first.getJobId()).isEqualTo("chatty");
        assertThat(lines.get(1).value().getLine()).hasSize(Job.MAX_LOG_LINE_CHARS);
        assertThat(lines.getLast().value().getLine()).isEqualTo("line " + (Job.MAX_LOG_LINES - 3));
    }

    /** Advances the driver's clock a tick at a time until {@code condition} holds; fails after {@link #WAIT}. */
    @Test
    void everyOutcomeIsCountedPerQueueAndJobNameWithProcessingAndWaitTimes() {
        behaviours.put("bad", job -> {
            throw new PermanentJobException("invalid image");
        });
        behaviours.put("flaky", job -> {
            if (job.attempt() == 1) {
                throw new TransientJobException("first attempt fails");
            }
            return "ok";
        });
        behaviours.put("throttled", job -> {
            if (runs.stream().filter("throttled#1"::equals).count() == 1) {
                throw new JobDeferredException("no rate-limit token", Duration.ofMillis(300));
            }
            return "ok";
        });
        // ok-1 became ready 3 s before the worker's clock: its wait is exactly that.
        submit("ok-1", START.minusSeconds(3), named("resize"));
        for (String jobId : List.of("ok-2", "bad", "flaky", "throttled")) {
            submit(jobId, START, named("resize"));
        }

        advanceUntil("bad dead-lettered, flaky retried, throttled deferred", () -> !deadLetters.all().isEmpty()
                && event("flaky", JobState.RETRY_SCHEDULED) != null && event("throttled", JobState.DELAYED) != null);
        driver.advanceWallClockTime(RETRY.baseDelay());
        advanceUntil("flaky and throttled complete", () -> event("flaky", JobState.COMPLETED) != null
                && event("throttled", JobState.COMPLETED) != null);

        assertThat(count(JobMetrics.COMPLETED)).isEqualTo(4);
        assertThat(count(JobMetrics.FAILED)).isEqualTo(2);
        assertThat(count(JobMetrics.RETRIED)).isEqualTo(1);
        assertThat(count(JobMetrics.DEAD_LETTERED)).isEqualTo(1);
        assertThat(count(JobMetrics.RATE_LIMITED)).isEqualTo(1);
        assertThat(meters.find(JobMetrics.CANCELLED).counter()).isNull();
        // Seven attempts: five first ones, flaky's second, throttled's same attempt again.
        Timer processing = timer(JobMetrics.PROCESSING);
        Timer waited = timer(JobMetrics.WAIT);
        assertThat(processing.count()).isEqualTo(7);
        assertThat(waited.count()).isEqualTo(7);
        assertThat(waited.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(3_000);
        assertThat(waited.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile)
                .containsExactly(0.5, 0.95, 0.99);
        assertThat(meters.get(JobMetrics.IN_FLIGHT).tags(Tags.of("queue", QUEUE.queue())).gauge().value()).isZero();
    }

    private static Headers named(String name) {
        Headers headers = new RecordHeaders();
        JobHeaders.put(headers, JobHeaders.JOB_TYPE, name);
        return headers;
    }

    private double count(String metric) {
        return meters.get(metric).tags(Tags.of("queue", QUEUE.queue(), "name", "resize")).counter().count();
    }

    private Timer timer(String metric) {
        return meters.get(metric).tags(Tags.of("queue", QUEUE.queue(), "name", "resize")).timer();
    }

    private void advanceUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            driver.advanceWallClockTime(TICK);
            // A poll interval, so the handlers' virtual threads run and the clock does not race ahead of them.
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /**
     * Waits in real time, the driver's clock standing still, until {@code count} attempts have ended on
     * their threads: an attempt's processing time is recorded once it has ended.
     */
    private void awaitAttemptsEnded(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (meters.find(JobMetrics.PROCESSING).timers().stream().mapToLong(Timer::count).sum() < count) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out waiting for " + count + " attempts to end");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private void submit(String jobId, Instant enqueuedAt, Headers headers) {
        JobHeaders.put(headers, JobHeaders.JOB_ID, jobId);
        JobHeaders.put(headers, JobHeaders.ENQUEUED_AT, enqueuedAt.toEpochMilli());
        requests.pipeInput(new TestRecord<>(jobId, "data-" + jobId, headers, enqueuedAt));
    }

    private void pipe(KeyValue<String, ControlCommand> command) {
        control.pipeInput(command.key, command.value);
    }

    private static Headers backoff(String type, long delayMillis) {
        Headers headers = new RecordHeaders();
        JobHeaders.put(headers, JobHeaders.BACKOFF_TYPE, type);
        JobHeaders.put(headers, JobHeaders.BACKOFF_DELAY, delayMillis);
        JobHeaders.put(headers, JobHeaders.TIMEOUT, 30_000);
        return headers;
    }

    private List<TestRecord<String, String>> retriesFor(int attempt) {
        return retried.all().stream().filter(r -> header(r.headers(), JobHeaders.ATTEMPT).equals(String.valueOf(attempt))).toList();
    }

    private TestRecord<String, String> retryOf(String jobId, int attempt) {
        return retriesFor(attempt).stream().filter(r -> r.key().equals(jobId)).findFirst().orElseThrow();
    }

    private static long delayOf(TestRecord<String, String> retry) {
        return Long.parseLong(header(retry.headers(), JobHeaders.DUE_AT)) - retry.timestamp();
    }

    private static String header(Headers headers, String name) {
        return JobHeaders.text(headers, name).orElse(null);
    }

    private JobEvent event(String jobId, JobState state) {
        List<JobEvent> matching = events(jobId, state);
        return matching.isEmpty() ? null : matching.getLast();
    }

    private List<JobState> states(String jobId) {
        return events.all().stream().map(TestRecord::value).filter(e -> e.getJobId().equals(jobId)).map(JobEvent::getState).toList();
    }

    /** The job's attempts that started: an ACTIVE event each, or an outcome telling its start instead. */
    private List<JobEvent> starts(String jobId) {
        return events.all().stream()
                .map(TestRecord::value)
                .filter(e -> e.getJobId().equals(jobId) && JobEvents.startOf(e) != null)
                .toList();
    }

    private List<JobEvent> events(String jobId, JobState state) {
        return events.all().stream()
                .map(TestRecord::value)
                .filter(e -> e.getJobId().equals(jobId) && e.getState() == state)
                .toList();
    }

    @FunctionalInterface
    private interface Behaviour {
        String run(Job<String> job) throws Exception;
    }

    /** Everything an output topic received so far (reading a test output topic consumes it). */
    private static final class Captured<V> {
        private final TestOutputTopic<String, V> topic;
        private final List<TestRecord<String, V>> records = new ArrayList<>();

        Captured(TestOutputTopic<String, V> topic) {
            this.topic = topic;
        }

        List<TestRecord<String, V>> all() {
            records.addAll(topic.readRecordsToList());
            return records;
        }
    }
}
