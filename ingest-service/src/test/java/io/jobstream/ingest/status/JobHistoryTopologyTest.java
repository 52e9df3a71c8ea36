package io.jobstream.ingest.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.events.AttemptFailure;
import io.jobstream.events.JobAttempts;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.topics.TopicCatalog;

/**
 * The job-status topology keeps each job's failed attempts beside its status: the events are the
 * ones pipeline-core's worker publishes, stacks included.
 */
class JobHistoryTopologyTest {

    private static final String QUEUE = "thumbnails";
    private static final Instant RUN = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, JobEvent> events;
    private KeyValueStore<String, JobAttempts> history;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "job-history-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(new JobStatusTopology().build(), config, RUN);
        events = driver.createInputTopic(TopicCatalog.JOB_EVENTS, new StringSerializer(), AvroSerde.of(JobEvent.class).serializer());
        history = driver.getKeyValueStore(JobStatusTopology.HISTORY_STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aJobThatFailsTwiceThenCompletesKeepsBothFailuresInOrderWithTheirStacks() {
        JobMetadata first = attempt("flaky", 1, RUN);
        send(JobEvents.queued(QUEUE, first, "{}", RUN));
        send(JobEvents.active(QUEUE, first, RUN.plusSeconds(1)));
        send(JobEvents.retryScheduled(QUEUE, first, renderer("busy at 1"), RUN.plusSeconds(4), RUN.plusSeconds(2)));
        JobMetadata second = attempt("flaky", 2, RUN);
        send(JobEvents.active(QUEUE, second, RUN.plusSeconds(4)));
        send(JobEvents.retryScheduled(QUEUE, second, renderer("busy at 2"), RUN.plusSeconds(8), RUN.plusSeconds(5)));
        JobMetadata third = attempt("flaky", 3, RUN);
        send(JobEvents.active(QUEUE, third, RUN.plusSeconds(8)));
        send(JobEvents.completed(QUEUE, third, "{}", RUN.plusSeconds(9)));

        List<AttemptFailure> failures = history.get("flaky").getFailures();
        assertThat(failures).extracting(AttemptFailure::getAttempt).containsExactly(1, 2);
        assertThat(failures).extracting(AttemptFailure::getState)
                .containsExactly(JobState.RETRY_SCHEDULED, JobState.RETRY_SCHEDULED);
        assertThat(failures).extracting(AttemptFailure::getErrorMessage).containsExactly("busy at 1", "busy at 2");
        assertThat(failures).extracting(AttemptFailure::getFailedAt).containsExactly(RUN.plusSeconds(2), RUN.plusSeconds(5));
        assertThat(failures.getFirst().getErrorStack())
                .startsWith(TransientJobException.class.getName() + ": busy at 1")
                .contains("at " + JobHistoryTopologyTest.class.getName() + ".renderer(");
    }

    @Test
    void failuresArrivingOutOfOrderOrTwiceAreKeptOncePerAttemptInAttemptOrder() {
        JobMetadata first = attempt("late", 1, RUN);
        JobMetadata second = attempt("late", 2, RUN);
        send(JobEvents.queued(QUEUE, first, "{}", RUN));
        JobEvent secondFailed = JobEvents.deadLettered(QUEUE, second, new PermanentJobException("corrupt"), RUN.plusSeconds(5));
        send(secondFailed);
        send(JobEvents.retryScheduled(QUEUE, first, renderer("busy"), RUN.plusSeconds(3), RUN.plusSeconds(2)));
        send(secondFailed);

        List<AttemptFailure> failures = history.get("late").getFailures();
        assertThat(failures).extracting(AttemptFailure::getAttempt).containsExactly(1, 2);
        assertThat(failures).extracting(AttemptFailure::getState)
                .containsExactly(JobState.RETRY_SCHEDULED, JobState.DEAD_LETTERED);
    }

    @Test
    void onlyTheNewestAttemptsAreKept() {
        int attempts = JobHistory.MAX_ATTEMPTS + 5;
        send(JobEvents.queued(QUEUE, attempt("stubborn", 1, RUN, attempts), "{}", RUN));
        IntStream.rangeClosed(1, attempts).forEach(n -> send(JobEvents.retryScheduled(QUEUE, attempt("stubborn", n, RUN, attempts),
                renderer("busy at " + n), RUN.plusSeconds(n + 1L), RUN.plusSeconds(n))));

        List<AttemptFailure> failures = history.get("stubborn").getFailures();
        assertThat(failures).hasSize(JobHistory.MAX_ATTEMPTS);
        assertThat(failures.getFirst().getAttempt()).isEqualTo(6);
        assertThat(failures.getLast().getAttempt()).isEqualTo(attempts);
    }

    @Test
    void removingAJobForgetsItsFailures() {
        JobMetadata only = attempt("gone", 1, RUN);
        send(JobEvents.queued(QUEUE, only, "{}", RUN));
        send(JobEvents.failed(QUEUE, only, renderer("broken"), RUN.plusSeconds(1)));
        assertThat(history.get("gone").getFailures()).hasSize(1);

        send(JobEvents.removed(QUEUE, only, RUN.plusSeconds(2)));

        assertThat(history.get("gone")).isNull();
    }

    private void send(JobEvent event) {
        events.pipeInput(event.getJobId(), event, event.getTimestamp());
    }

    private static JobMetadata attempt(String jobId, int attempt, Instant enqueuedAt) {
        return attempt(jobId, attempt, enqueuedAt, 3);
    }

    private static JobMetadata attempt(String jobId, int attempt, Instant enqueuedAt, int maxAttempts) {
        return new JobMetadata(jobId, "resize", attempt, maxAttempts, enqueuedAt, null, null, null);
    }

    /** Thrown here, so the stack names this class's method as a handler's would. */
    private static TransientJobException renderer(String message) {
        try {
            throw new TransientJobException(message);
        } catch (TransientJobException e) {
            return e;
        }
    }
}
