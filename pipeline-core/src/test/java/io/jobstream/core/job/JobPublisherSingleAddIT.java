package io.jobstream.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicProvisioner;

/**
 * A single add is one record and no transaction: its queue's topic gets the job's record, marked as
 * the QUEUED fact, and nothing else (no commit marker); {@code jobs.events} gets its QUEUED event only
 * from the intake. A bulk add keeps its transaction and its events, and the intake adds none to them.
 */
class JobPublisherSingleAddIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    /** One partition: the intake reads the queue in the order the adds wrote it. */
    private static final QueueTopics QUEUE = new QueueTopics("single-add", 1);

    @TempDir
    Path stateDir;

    @Test
    void aSingleAddWritesOneRecordWhoseQueuedEventComesFromTheIntake() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.all(List.of(QUEUE)));
        }
        try (JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "single-add-test", 1)) {
            SubmittedJob alone = publisher.submit(QUEUE, job("alone").withData("{\"n\":1}"));
            assertThat(alone.state()).isEqualTo(JobState.QUEUED);

            List<ConsumerRecord<String, byte[]>> requests = committed(QUEUE.requests(), 1);
            assertThat(requests).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("alone");
                assertThat(record.headers().lastHeader(JobHeaders.QUEUED_BY_RECORD)).as("the queued-by-record marker").isNotNull()
                        .extracting(header -> new String(header.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            });
            // One record and no transaction: a transaction's commit marker would take the next offset.
            assertThat(endOffset(QUEUE.requests())).isEqualTo(1);
            assertThat(endOffset(TopicCatalog.JOB_EVENTS)).isZero();

            publisher.submitAll(QUEUE, List.of(job("bulk-a"), job("bulk-b")));
            SubmittedJob after = publisher.submit(QUEUE, job("after"));

            try (ManagedStreams intake = startIntake()) {
                // Written after the bulk add on the queue's one partition: once its event is there, the intake has read all.
                List<JobEvent> events = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (events.stream().noneMatch(event -> event.getJobId().equals("after")) && System.nanoTime() < deadline) {
                    events = committed(TopicCatalog.JOB_EVENTS, 0).stream()
                            .map(record -> AvroSerde.of(JobEvent.class).deserializer().deserialize(record.topic(), record.value()))
                            .toList();
                    Thread.sleep(50);
                }
                assertThat(events).extracting(JobEvent::getJobId).containsExactlyInAnyOrder("alone", "bulk-a", "bulk-b", "after");
                assertThat(events).allMatch(event -> event.getState() == JobState.QUEUED);
                JobEvent queued = events.stream().filter(event -> event.getJobId().equals("alone")).findFirst().orElseThrow();
                assertThat(queued.getData()).isEqualTo("{\"n\":1}");
                assertThat(queued.getEnqueuedAt()).isEqualTo(alone.enqueuedAt().truncatedTo(ChronoUnit.MILLIS));
                // Without data of its own, a job shows its payload, as a transactional add's event does.
                assertThat(events.stream().filter(event -> event.getJobId().equals("after")).findFirst().orElseThrow().getData())
                        .isEqualTo(job("after").payload().toString());
                assertThat(after.jobId()).isEqualTo("after");
            }
            assertThat(committed(QUEUE.requests(), 4)).filteredOn(record -> record.key().startsWith("bulk"))
                    .allMatch(record -> record.headers().lastHeader(JobHeaders.QUEUED_BY_RECORD) == null);
        }
    }

    private ManagedStreams startIntake() {
        Topology topology = new JobIntakeTopology(List.of(QUEUE)).addTo(new Topology());
        ManagedStreams intake = new ManagedStreams(topology, new StreamsProperties(kafka.bootstrapServers(),
                "single-add-intake", "", stateDir, 0, Duration.ofMillis(100), 1, Duration.ofSeconds(10)),
                TopicCatalog.all(List.of(QUEUE)));
        intake.start();
        return intake;
    }

    private static JobSubmission<JobRequested> job(String jobId) {
        return JobSubmission.of(jobId, "noop", new JobRequested("noop", "{}", JobOptions.newBuilder().setJobId(jobId).build()));
    }

    private static long endOffset(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every committed record of the topic, read_committed from the beginning, waiting for at least {@code atLeast}. */
    private static List<ConsumerRecord<String, byte[]>> committed(String topic, int atLeast) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((records.size() < atLeast || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
