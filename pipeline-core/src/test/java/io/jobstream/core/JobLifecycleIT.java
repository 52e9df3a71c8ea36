package io.jobstream.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.retry.JobDeferredException;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/**
 * The job lifecycle of a worker against a real broker: completion, retries with back-off through
 * the retry topic and its timer, dead letters with their headers, unreadable records, and
 * de-duplication by job id. The handler's behaviour is chosen by the message text.
 */
class JobLifecycleIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final RetryPolicy BACKOFF = new RetryPolicy(3, Duration.ofMillis(400), 2.0, Duration.ofSeconds(10), 0.1);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    static ManagedStreams agent;
    static ManagedStreams intake;
    static JobPublisher publisher;
    static TopicTail events;
    static TopicTail responses;
    static TopicTail deadLetters;

    @BeforeAll
    static void startAgent() {
        agent = EchoAgent.start(kafka.bootstrapServers(), dataDir, job -> {
            calls.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            String text = job.data().getMessage();
            return switch (text) {
                case "fail twice" -> {
                    if (job.attempt() <= 2) {
                        throw new TransientJobException("provider timed out on attempt " + job.attempt());
                    }
                    yield "ok after " + job.attempt();
                }
                case "always transient" -> throw new TransientJobException("provider unavailable");
                case "no token once" -> {
                    if (calls.get(job.id()).get() == 1) {
                        throw new JobDeferredException("no rate-limit token", Duration.ofMillis(300));
                    }
                    yield "attempt " + job.attempt();
                }
                case "rate limited once" -> {
                    if (job.attempt() == 1) {
                        throw new TransientJobException("429 Too Many Requests", Duration.ofMillis(2_500), null);
                    }
                    yield "served";
                }
                case "invalid" -> throw new PermanentJobException("message is not a question");
                case "slow" -> {
                    Thread.sleep(1_500);
                    yield "slow done";
                }
                default -> "echo: " + text;
            };
        }, AsyncStepSettings.of(8, Duration.ofSeconds(30)), BACKOFF);
        publisher = new JobPublisher(kafka.bootstrapServers(), "lifecycle-test", 2);
        intake = EchoAgent.startIntake(kafka.bootstrapServers(), dataDir);
        events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
        responses = new TopicTail(kafka.bootstrapServers(), TopicCatalog.CHAT_RESPONSES);
        deadLetters = new TopicTail(kafka.bootstrapServers(), TopicCatalog.AGENT_CHAT.deadLetters());
    }

    @AfterAll
    static void stopAgent() throws InterruptedException {
        agent.stop();
        intake.stop();
        publisher.close();
        events.close();
        responses.close();
        deadLetters.close();
    }

    @Test
    void aJobThatSucceedsPublishesItsResultAndCompletes() {
        submit("job-ok", "hello");

        awaitState("job-ok", JobState.COMPLETED);
        // A single add's QUEUED comes from the intake, before or after the worker's events.
        List<JobEvent> history = awaitState("job-ok", JobState.QUEUED);

        assertThat(history).extracting(JobEvent::getState).containsOnlyOnce(JobState.QUEUED);
        history = history.stream().filter(event -> event.getState() != JobState.QUEUED).toList();
        JobEvent completed = history.getLast();
        assertThat(completed.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(startOf(history, 1)).isBeforeOrEqualTo(completed.getTimestamp());
        assertThat(completed.getAttempt()).isEqualTo(1);
        assertThat(completed.getProgress()).isEqualTo(100);
        assertThat(completed.getReturnValue()).isEqualTo("echo: hello");
        assertThat(responsesFor("job-ok")).containsExactly("echo: hello");
    }

    @Test
    void aJobFailingTransientlyTwiceIsRetriedWithBackoffAndCompletesOnItsThirdAttempt() {
        submit("job-flaky", "fail twice");

        awaitState("job-flaky", JobState.COMPLETED);
        List<JobEvent> history = awaitState("job-flaky", JobState.QUEUED);

        // Its retries came back through the queue without being submitted again.
        assertThat(history).filteredOn(e -> e.getState() == JobState.QUEUED).singleElement()
                .extracting(JobEvent::getAttempt).isEqualTo(1);
        JobEvent completed = history.stream().filter(e -> e.getState() == JobState.COMPLETED).findFirst().orElseThrow();
        assertThat(completed.getAttempt()).isEqualTo(3);
        assertThat(completed.getReturnValue()).isEqualTo("ok after 3");
        List<JobEvent> retries = history.stream().filter(e -> e.getState() == JobState.RETRY_SCHEDULED).toList();
        assertThat(retries).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JobEvent retry = retries.get(i);
            int failedAttempt = i + 1;
            long nominal = BACKOFF.nominalDelay(failedAttempt).toMillis();
            long delay = retry.getDueAt().toEpochMilli() - retry.getTimestamp().toEpochMilli();
            assertThat(retry.getAttempt()).isEqualTo(failedAttempt);
            assertThat(retry.getErrorMessage()).isEqualTo("provider timed out on attempt " + failedAttempt);
            assertThat(delay).as("back-off after attempt %d", failedAttempt)
                    .isBetween((long) (nominal * 0.9), (long) (nominal * 1.1));
            // The next attempt starts only once the retry is due.
            assertThat(startOf(history, failedAttempt + 1)).isAfterOrEqualTo(retry.getDueAt());
        }
        assertThat(calls.get("job-flaky")).hasValue(3);
        assertThat(responsesFor("job-flaky")).containsExactly("ok after 3");
    }

    @Test
    void aProvidersRetryAfterDecidesTheDelayInsteadOfTheBackoff() {
        submit("job-429", "rate limited once");

        List<JobEvent> history = awaitState("job-429", JobState.COMPLETED);

        JobEvent retry = history.stream().filter(e -> e.getState() == JobState.RETRY_SCHEDULED).findFirst().orElseThrow();
        assertThat(retry.getDueAt().toEpochMilli() - retry.getTimestamp().toEpochMilli()).isEqualTo(2_500);
        assertThat(startOf(history, 2)).isAfterOrEqualTo(retry.getDueAt());
    }

    @Test
    void aDeferredJobRunsAgainLaterWithoutUsingAnAttempt() {
        submit("job-deferred", "no token once");

        List<JobEvent> history = awaitState("job-deferred", JobState.COMPLETED);

        assertThat(last(history, JobState.COMPLETED).getReturnValue()).isEqualTo("attempt 1");
        assertThat(history).anyMatch(e -> e.getState() == JobState.DELAYED && e.getDueAt() != null);
        assertThat(history).noneMatch(e -> e.getState() == JobState.RETRY_SCHEDULED);
        assertThat(calls.get("job-deferred")).hasValue(2);
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnceWithEveryHeader() {
        submit("job-invalid", "invalid");

        List<JobEvent> history = awaitState("job-invalid", JobState.DEAD_LETTERED);

        JobEvent deadLettered = last(history, JobState.DEAD_LETTERED);
        assertThat(deadLettered.getErrorClass()).isEqualTo(PermanentJobException.class.getName());
        assertThat(deadLettered.getErrorMessage()).isEqualTo("message is not a question");
        assertThat(history).noneMatch(e -> e.getState() == JobState.RETRY_SCHEDULED);
        ConsumerRecord<String, byte[]> letter = awaitDeadLetter("job-invalid");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TopicCatalog.AGENT_CHAT.requests());
        assertThat(Integer.parseInt(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION))).isBetween(0, 5);
        assertThat(Long.parseLong(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET))).isNotNegative();
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(PermanentJobException.class.getName());
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("message is not a question");
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
        assertThat(Long.parseLong(header(letter, DeadLetterHeaders.LAST_FAILURE_AT)))
                .isGreaterThanOrEqualTo(Long.parseLong(header(letter, DeadLetterHeaders.FIRST_FAILURE_AT)));
        // The dead letter is the job's original record: it can be replayed as it was.
        ChatRequested original = AvroSerde.of(ChatRequested.class).deserializer().deserialize("", letter.value());
        assertThat(original.getMessage()).isEqualTo("invalid");
        assertThat(calls.get("job-invalid")).hasValue(1);
    }

    @Test
    void aTransientFailureIsDeadLetteredWhenItsAttemptsAreExhausted() {
        submit("job-down", "always transient");

        List<JobEvent> history = awaitState("job-down", JobState.DEAD_LETTERED);

        assertThat(last(history, JobState.DEAD_LETTERED).getAttempt()).isEqualTo(3);
        ConsumerRecord<String, byte[]> letter = awaitDeadLetter("job-down");
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(Long.parseLong(header(letter, DeadLetterHeaders.LAST_FAILURE_AT))
                - Long.parseLong(header(letter, DeadLetterHeaders.FIRST_FAILURE_AT)))
                .as("the failures span both back-off delays")
                .isGreaterThanOrEqualTo((long) ((400 + 800) * 0.9));
        assertThat(calls.get("job-down")).hasValue(3);
    }

    @Test
    void unreadableBytesAreDeadLetteredAndTheNextRecordIsStillProcessed() {
        byte[] garbage = "definitely not avro".getBytes(UTF_8);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.AGENT_CHAT.requests(), "poison-key", garbage));
        }
        submit("job-after-poison", "still alive");

        awaitState("job-after-poison", JobState.COMPLETED);
        Await.until(WAIT, "the unreadable record in the dead-letter topic", () -> deadLetters.records().stream()
                .anyMatch(r -> "poison-key".equals(r.key())));
        ConsumerRecord<String, byte[]> letter = deadLetters.records().stream()
                .filter(r -> "poison-key".equals(r.key())).findFirst().orElseThrow();
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TopicCatalog.AGENT_CHAT.requests());
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION_CLASS)).contains("SerializationException");
    }

    @Test
    void aJobSubmittedAgainWhileUnfinishedRunsOnceAndAgainOnlyAfterItFinished() throws InterruptedException {
        submit("job-dup", "slow");
        Thread.sleep(20);
        submit("job-dup", "slow");

        awaitState("job-dup", JobState.COMPLETED);
        Thread.sleep(500);
        assertThat(calls.get("job-dup")).as("handler calls while the first run was unfinished").hasValue(1);
        assertThat(responsesFor("job-dup")).hasSize(1);

        // BullMQ semantics: once finished, the same id may run again.
        submit("job-dup", "slow");
        Await.until(WAIT, "second run of job-dup", () -> responsesFor("job-dup").size() == 2);
        assertThat(calls.get("job-dup")).hasValue(2);
    }

    private static void submit(String jobId, String text) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat", EchoAgent.message(jobId, "session-" + jobId, text)));
    }

    private static List<JobEvent> history(String jobId) {
        return events.records().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> AvroSerde.of(JobEvent.class).deserializer().deserialize("", r.value()))
                .toList();
    }

    private static List<JobEvent> awaitState(String jobId, JobState state) {
        Await.until(WAIT, jobId + " reaching " + state, () -> history(jobId).stream().anyMatch(e -> e.getState() == state));
        return history(jobId);
    }

    /** The job's last event in {@code state}: a single add's QUEUED from the intake may come after any other. */
    private static JobEvent last(List<JobEvent> history, JobState state) {
        return history.stream().filter(e -> e.getState() == state).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no " + state + " in " + history));
    }

    /**
     * When the attempt started: its ACTIVE event, or the start its outcome tells when it ended
     * before the worker announced it.
     */
    private static Instant startOf(List<JobEvent> history, int attempt) {
        return history.stream()
                .filter(e -> e.getAttempt() == attempt)
                .map(JobEvents::startOf)
                .filter(Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("attempt " + attempt + " has no start in " + history));
    }

    private static List<String> responsesFor(String jobId) {
        return responses.records().stream().filter(r -> jobId.equals(r.key())).map(r -> new String(r.value(), UTF_8)).toList();
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String jobId) {
        Await.until(WAIT, jobId + " in the dead-letter topic", () -> deadLetters.records().stream()
                .anyMatch(r -> jobId.equals(JobHeaders.text(r.headers(), JobHeaders.JOB_ID).orElse(null))));
        return deadLetters.records().stream()
                .filter(r -> jobId.equals(JobHeaders.text(r.headers(), JobHeaders.JOB_ID).orElse(null)))
                .findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return JobHeaders.text(record.headers(), name).orElseThrow(() -> new AssertionError("missing header " + name));
    }
}
