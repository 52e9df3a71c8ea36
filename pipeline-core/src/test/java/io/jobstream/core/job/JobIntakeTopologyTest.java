package io.jobstream.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.queue.JobEnvelope;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * The intake turns each record a single add marked {@code queued-by-record} into the QUEUED event a
 * transactional add writes beside its record, and leaves every other record on a queue alone.
 */
class JobIntakeTopologyTest {

    private static final QueueTopics REPORTS = TopicCatalog.queue("reports");
    private static final QueueTopics THUMBNAILS = TopicCatalog.queue("thumbnails");
    private static final Instant ENQUEUED = Instant.parse("2026-12-06T09:00:00.123Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> reports;
    private TestInputTopic<String, byte[]> thumbnails;
    private TestOutputTopic<String, JobEvent> events;

    @BeforeEach
    void start() {
        Topology topology = new JobIntakeTopology(List.of(REPORTS, THUMBNAILS)).addTo(new Topology());
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "job-intake-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, config, ENQUEUED);
        reports = driver.createInputTopic(REPORTS.requests(), new StringSerializer(), new ByteArraySerializer());
        thumbnails = driver.createInputTopic(THUMBNAILS.requests(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(TopicCatalog.JOB_EVENTS, new StringDeserializer(),
                AvroSerde.of(JobEvent.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aMarkedEnvelopeBecomesTheQueuedEventATransactionalAddWrites() {
        JobMetadata job = new JobMetadata("report-1", "monthly", 1, RetryPolicy.DEFAULT.attempts(), ENQUEUED,
                "4bf92f3577b34da6a3ce929d0e0e4736", "flow-9", 3);
        JobOptions options = JobOptions.newBuilder().setJobId("report-1").setRemoveOnComplete(true).build();
        RecordHeaders headers = headers(job);
        // The queue's limit applies: the publisher writes no max-attempts, and the event shows the default.
        headers.remove(JobHeaders.MAX_ATTEMPTS);
        headers.add(JobHeaders.QUEUED_BY_RECORD, new byte[0]);
        reports.pipeInput(new TestRecord<>("customer-7", JobEnvelope.encode(new JobRequested("monthly", "{\"month\":11}", options)),
                headers, ENQUEUED.plusMillis(5)));

        TestRecord<String, JobEvent> queued = events.readRecord();
        JobEvent expected = JobEnvelope.withRemoval(JobEvents.queued(REPORTS.queue(), job, "{\"month\":11}", ENQUEUED), options);
        assertThat(queued.key()).isEqualTo("report-1");
        assertThat(queued.value()).isEqualTo(expected);
        assertThat(queued.value().getRemoveOnComplete()).isTrue();
        assertThat(queued.timestamp()).isEqualTo(ENQUEUED.toEpochMilli());
        assertThat(queued.headers().toArray()).isEmpty();
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void aMarkedRecordOfItsQueuesOwnTypeTakesItsDataFromTheMarker() {
        JobMetadata job = new JobMetadata("thumb-1", "resize", 1, 5, ENQUEUED, "trace-1", null, null);
        RecordHeaders headers = headers(job);
        headers.add(JobHeaders.QUEUED_BY_RECORD, "{\"width\":64}".getBytes(StandardCharsets.UTF_8));
        thumbnails.pipeInput(new TestRecord<>("thumb-1", new byte[] {1, 2, 3}, headers, ENQUEUED));

        JobEvent queued = events.readValue();
        assertThat(queued).isEqualTo(JobEvents.queued(THUMBNAILS.queue(), job, "{\"width\":64}", ENQUEUED));
        assertThat(queued.getState()).isEqualTo(JobState.QUEUED);
        assertThat(queued.getMaxAttempts()).isEqualTo(5);
    }

    @Test
    void recordsWithoutTheMarkerHaveTheirEventsAlready() {
        JobMetadata bulk = new JobMetadata("bulk-1", "monthly", 1, 3, ENQUEUED, null, null, null);
        reports.pipeInput(new TestRecord<>("bulk-1", JobEnvelope.encode(new JobRequested("monthly", "{}",
                JobOptions.newBuilder().build())), headers(bulk), ENQUEUED));
        // A retry back from its timer: the worker took the marker off.
        reports.pipeInput(new TestRecord<>("retried", new byte[] {1}, headers(bulk.nextAttempt()), ENQUEUED));

        assertThat(events.isEmpty()).isTrue();
    }

    private static RecordHeaders headers(JobMetadata job) {
        RecordHeaders headers = new RecordHeaders();
        job.writeTo(headers);
        return headers;
    }
}
