package io.jobstream.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/** A flow whose children start follow-up jobs: the parent counts them in its progress and waits for them. */
class FlowFollowUpsTest {

    private static final QueueTopics PAGES = TopicCatalog.queue("pages");
    private static final QueueTopics EMBEDDINGS = TopicCatalog.queue("page-embeddings");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    /** Child 1 starts two follow-ups, child 2 none. */
    private static final Map<String, List<String>> FOLLOW_UPS = Map.of("{\"page\":1}", List.of("e-1a", "e-1b"), "{\"page\":2}", List.of());

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, JobEvent> in;
    private TestOutputTopic<String, JobEvent> out;
    private final List<JobEvent> published = new ArrayList<>();

    @BeforeEach
    void start() {
        StreamsBuilder builder = FlowTracker.forQueue(PAGES)
                .withFollowUps(EMBEDDINGS, result -> result == null ? List.of() : FOLLOW_UPS.get(result))
                .addTo(new StreamsBuilder());
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "flow-follow-ups-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), config, AT);
        in = driver.createInputTopic(TopicCatalog.JOB_EVENTS, new StringSerializer(), AvroSerde.of(JobEvent.class).serializer());
        out = driver.createOutputTopic(TopicCatalog.JOB_EVENTS, new StringDeserializer(), AvroSerde.of(JobEvent.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theParentCompletesOnlyAfterEveryFollowUpAndItsProgressCountsThem() {
        send(JobEvent.newBuilder(JobEvents.queued(PAGES.queue(), job("f", null), "{}", AT)).setStep(FlowIds.step(0, 2)).build());
        // A follow-up may be folded before its child's completion: it still counts.
        send(JobEvents.completed(EMBEDDINGS.queue(), job("e-1b", "f:1"), "{}", AT));
        send(JobEvents.completed(PAGES.queue(), job("f:1", "f"), "{\"page\":1}", AT));
        send(JobEvents.completed(PAGES.queue(), job("f:2", "f"), "{\"page\":2}", AT));

        assertThat(parentStates()).doesNotContain(JobState.COMPLETED);
        assertThat(parentProgress()).containsExactly(37, 87);

        send(JobEvents.completed(EMBEDDINGS.queue(), job("e-1a", "f:1"), "{}", AT));

        assertThat(parentStates()).last().isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aFollowUpFailingForGoodFailsTheFlowNamingIt() {
        send(JobEvent.newBuilder(JobEvents.queued(PAGES.queue(), job("g", null), "{}", AT)).setStep(FlowIds.step(0, 2)).build());
        send(JobEvents.completed(PAGES.queue(), job("g:1", "g"), "{\"page\":1}", AT));
        send(JobEvents.deadLettered(EMBEDDINGS.queue(), job("e-1a", "g:1"), new IllegalStateException("model down"), AT));

        List<JobEvent> parent = parentEvents("g");
        assertThat(parent.getLast().getState()).isEqualTo(JobState.FAILED);
        assertThat(parent.getLast().getErrorMessage()).contains("follow-up job e-1a failed").contains("model down");
    }

    @Test
    void aDeadLetteredFollowUpQueuedAgainReopensTheFlowWhichCompletesAfterItAndItsProgressNeverGoesBack() {
        send(JobEvent.newBuilder(JobEvents.queued(PAGES.queue(), job("h", null), "{}", AT)).setStep(FlowIds.step(0, 2)).build());
        send(JobEvents.completed(PAGES.queue(), job("h:1", "h"), "{\"page\":1}", AT));
        send(JobEvents.completed(PAGES.queue(), job("h:2", "h"), "{\"page\":2}", AT));
        send(JobEvents.completed(EMBEDDINGS.queue(), job("e-1b", "h:1"), "{}", AT));
        send(JobEvents.deadLettered(EMBEDDINGS.queue(), job("e-1a", "h:1"), new IllegalStateException("model down"), AT));
        assertThat(parentEvents("h").getLast().getState()).isEqualTo(JobState.FAILED);

        // Replayed from its dead letters (or retried): a new run of the same job id, same parent.
        Instant replayed = AT.plusSeconds(60);
        send(JobEvents.queued(EMBEDDINGS.queue(), new JobMetadata("e-1a", "test", 1, 3, replayed, null, "h:1", null), "{}", replayed));
        parentEvents("h");
        JobEvent reopened = published.getLast();
        assertThat(reopened.getJobId()).isEqualTo("h");
        assertThat(reopened.getState()).as("the flow reopens: nothing fails it any more").isEqualTo(JobState.QUEUED);
        assertThat(reopened.getEnqueuedAt()).as("a new run of the parent").isAfter(AT);
        assertThat(reopened.getProgress()).as("the reopened flow keeps what was done").isEqualTo(87);

        send(JobEvents.completed(EMBEDDINGS.queue(), new JobMetadata("e-1a", "test", 1, 3, replayed, null, "h:1", null), "{}", replayed));

        parentEvents("h");
        List<JobEvent> parent = published.stream().filter(e -> e.getJobId().equals("h")).toList();
        assertThat(parent.getLast().getState()).isEqualTo(JobState.COMPLETED);
        assertThat(parent.stream().map(JobEvent::getState)).containsSubsequence(JobState.FAILED, JobState.QUEUED, JobState.COMPLETED);
        assertThat(parent.stream().filter(e -> e.getProgress() != null).map(JobEvent::getProgress).toList())
                .as("progress never goes back").isSorted().last().isEqualTo(100);
    }

    @Test
    void aFailedChildRetriedReopensTheFlowOnlyOnceNoOtherChildFailsIt() {
        send(JobEvent.newBuilder(JobEvents.queued(PAGES.queue(), job("k", null), "{}", AT)).setStep(FlowIds.step(0, 2)).build());
        send(JobEvents.deadLettered(PAGES.queue(), job("k:1", "k"), new IllegalStateException("bad page"), AT));
        send(JobEvents.deadLettered(PAGES.queue(), job("k:2", "k"), new IllegalStateException("bad page"), AT));
        Instant retried = AT.plusSeconds(60);

        send(JobEvents.queued(PAGES.queue(), new JobMetadata("k:1", "test", 1, 3, retried, null, "k", null), "{}", retried));
        assertThat(parentEvents("k")).extracting(JobEvent::getState).containsExactly(JobState.FAILED);
        send(JobEvents.queued(PAGES.queue(), new JobMetadata("k:2", "test", 1, 3, retried, null, "k", null), "{}", retried));
        send(JobEvents.completed(PAGES.queue(), new JobMetadata("k:1", "test", 1, 3, retried, null, "k", null), "{\"page\":2}", retried));
        send(JobEvents.completed(PAGES.queue(), new JobMetadata("k:2", "test", 1, 3, retried, null, "k", null), "{\"page\":2}", retried));

        parentEvents("k");
        assertThat(published.stream().filter(e -> e.getJobId().equals("k")).map(JobEvent::getState))
                .containsExactly(JobState.FAILED, JobState.QUEUED, JobState.PROGRESS, JobState.COMPLETED);
    }

    @Test
    void aChildEndingBeforeItsWorkerAnnouncedItStartsTheParentOnce() {
        send(JobEvent.newBuilder(JobEvents.queued(PAGES.queue(), job("s", null), "{}", AT)).setStep(FlowIds.step(0, 2)).build());
        // Quick children publish no ACTIVE: their outcomes say when they started.
        send(JobEvents.withStartedAt(JobEvents.completed(PAGES.queue(), job("s:1", "s"), "{\"page\":2}", AT.plusSeconds(1)), AT));
        send(JobEvents.withStartedAt(JobEvents.completed(PAGES.queue(), job("s:2", "s"), "{\"page\":2}", AT.plusSeconds(2)), AT));

        assertThat(parentEvents("s")).extracting(JobEvent::getState)
                .containsExactly(JobState.ACTIVE, JobState.PROGRESS, JobState.COMPLETED);
    }

    private static JobMetadata job(String id, String parent) {
        return new JobMetadata(id, "test", 1, 3, AT, null, parent, null);
    }

    private void send(JobEvent event) {
        in.pipeInput(event.getJobId(), event);
    }

    /** The parent's events the tracker published so far (its QUEUED declaration is the test's). */
    private List<JobEvent> parentEvents(String parentId) {
        published.addAll(out.readValuesToList());
        return published.stream().filter(e -> e.getJobId().equals(parentId) && e.getState() != JobState.QUEUED).toList();
    }

    private List<JobState> parentStates() {
        return parentEvents("f").stream().map(JobEvent::getState).toList();
    }

    private List<Integer> parentProgress() {
        return parentEvents("f").stream().filter(e -> e.getState() == JobState.PROGRESS).map(JobEvent::getProgress).toList();
    }
}
