package io.jobstream.ingest.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobIntakeTopology;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.queue.JobEnvelope;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStatus;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * ingest-service's Streams applications as they run: a single add's QUEUED event comes from the intake,
 * possibly after the worker has reported the job ACTIVE and COMPLETED, and it never takes a finished
 * job back to waiting, nor does a duplicate's QUEUED that arrives after the run it raced has finished.
 */
class JobIntakeStatusTopologyTest {

    private static final QueueTopics QUEUE = TopicCatalog.queue("thumbnails");
    private static final Instant RUN = Instant.parse("2026-12-06T09:00:00Z");
    private static final String DATA = "{\"image\":\"cat.png\"}";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> requests;
    private TestInputTopic<String, JobEvent> events;
    private KeyValueStore<String, ValueAndTimestamp<JobStatus>> statuses;
    private KeyValueStore<String, Long> counts;

    @BeforeEach
    void start() {
        QueueProperties queues = new QueueProperties(Map.of(QUEUE.queue(), QueueProperties.Queue.DEFAULTS));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "job-intake-status-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Two applications in the service (JobIntakeStreams commits more often); one driver pipes the intake's events to the fold.
        Topology topology = new JobIntakeTopology(queues.topics()).addTo(new JobStatusStreamsConfiguration().jobStatusTopology(queues));
        driver = new TopologyTestDriver(topology, config, RUN);
        requests = driver.createInputTopic(QUEUE.requests(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createInputTopic(TopicCatalog.JOB_EVENTS, new StringSerializer(), AvroSerde.of(JobEvent.class).serializer());
        statuses = driver.getTimestampedKeyValueStore(JobStatusTopology.STATUS_STORE);
        counts = driver.getKeyValueStore(JobStatusTopology.COUNTS_STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aSingleAddIsQueuedThroughTheIntake() {
        add(run("waiting", RUN));

        JobStatus status = statuses.get("waiting").value();
        assertThat(status.getState()).isEqualTo(JobState.QUEUED);
        assertThat(status.getData()).isEqualTo(DATA);
        assertThat(count(JobState.QUEUED)).isEqualTo(1);
    }

    @Test
    void aQueuedArrivingAfterTheJobCompletedFillsItsDataAndLeavesItCompleted() {
        JobMetadata job = run("fast", RUN);
        send(JobEvents.active(QUEUE.queue(), job, RUN.plusMillis(5)));
        send(JobEvents.completed(QUEUE.queue(), job, "{\"ok\":true}", RUN.plusMillis(9)));

        add(job);

        JobStatus status = statuses.get("fast").value();
        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getData()).isEqualTo(DATA);
        assertThat(status.getReturnValue()).isEqualTo("{\"ok\":true}");
        assertThat(count(JobState.COMPLETED)).isEqualTo(1);
        assertThat(count(JobState.QUEUED)).isZero();
    }

    @Test
    void aDuplicatesQueuedArrivingAfterTheRunItRacedFinishedIsIgnored() {
        JobMetadata first = run("same-id", RUN);
        add(first);
        send(JobEvents.active(QUEUE.queue(), first, RUN.plusMillis(5)));
        send(JobEvents.completed(QUEUE.queue(), first, "{}", RUN.plusMillis(50)));
        // Added while the first run was active, so its worker dropped it; the intake wrote its QUEUED late.
        add(run("same-id", RUN.plusMillis(20)));

        JobStatus status = statuses.get("same-id").value();
        assertThat(status.getState()).isEqualTo(JobState.COMPLETED);
        assertThat(status.getEnqueuedAt()).isEqualTo(RUN);
        assertThat(count(JobState.QUEUED)).isZero();
    }

    private static JobMetadata run(String jobId, Instant enqueuedAt) {
        return new JobMetadata(jobId, "resize", 1, 3, enqueuedAt, null, null, null);
    }

    /** The record JobPublisher writes for a single add of a generic job. */
    private void add(JobMetadata job) {
        RecordHeaders headers = new RecordHeaders();
        job.writeTo(headers);
        headers.add(JobHeaders.QUEUED_BY_RECORD, new byte[0]);
        byte[] envelope = JobEnvelope.encode(new JobRequested("resize", DATA, JobOptions.newBuilder().setJobId(job.jobId()).build()));
        requests.pipeInput(new TestRecord<>(job.jobId(), envelope, headers, job.enqueuedAt()));
    }

    private void send(JobEvent event) {
        events.pipeInput(event.getJobId(), event, event.getTimestamp());
    }

    private long count(JobState state) {
        Long count = counts.get(new QueueStateKey(QUEUE.queue(), state).encode());
        return count == null ? 0 : count;
    }
}
