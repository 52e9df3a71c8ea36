package io.jobstream.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * A job that a worker finishes between two commits costs its store of unfinished jobs no changelog record:
 * before, each such job left a tombstone (a quarter of a no-op job's Kafka records).
 */
class UnfinishedJobsChangelogIT {

    private static final QueueTopics QUEUE = TopicCatalog.queue("quick");
    private static final String APPLICATION_ID = "unfinished-changelog-test";
    private static final int JOBS = 50;
    /** Long, so that the jobs (added in one transaction, no-ops) end well within one commit interval. */
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(2);

    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path dataDir;

    @Test
    void jobsFinishedWithinOneCommitLeaveNothingInTheChangelog() throws Exception {
        QueueWorker<JobRequested, String, Void> worker = QueueWorker
                .forQueue(QUEUE, AvroSerde.of(JobRequested.class), job -> "{}")
                .concurrency(AsyncStepSettings.of(8, Duration.ofSeconds(30)))
                .build();
        // Caught-up commits off: they would commit every 20 ms, between many of these jobs' put and delete.
        StreamsProperties settings = new StreamsProperties(kafka.bootstrapServers(), APPLICATION_ID, "", dataDir, 0,
                COMMIT_INTERVAL, 1, Duration.ofSeconds(10)).withCaughtUpCommitInterval(Duration.ZERO);
        try (ManagedStreams streams = new ManagedStreams(worker.addTo(new Topology()), settings, TopicCatalog.all(List.of(QUEUE)));
             JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "unfinished-changelog-test", 1)) {
            streams.start();
            try (TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS)) {
                publisher.submitAll(QUEUE, IntStream.range(0, JOBS).mapToObj(i -> job("quick-" + i)).toList());

                Await.until(Duration.ofSeconds(60), JOBS + " jobs completed", () -> events.values(bytes -> EVENTS.deserialize("", bytes))
                        .stream().filter(event -> event.getState() == JobState.COMPLETED).count() == JOBS);
            }

            // The completions committed in the same transaction as whatever the store logged for these jobs.
            assertThat(committedRecords(APPLICATION_ID + "-" + worker.unfinishedStore() + "-changelog"))
                    .as("changelog records of %d jobs that ended between two commits", JOBS)
                    .isLessThan(JOBS / 2);
        }
    }

    /** Every committed record of the topic, read to its last stable offset. */
    private static int committedRecords(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            int records = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                records += consumer.poll(Duration.ofMillis(100)).count();
            }
            return records;
        }
    }

    private static JobSubmission<JobRequested> job(String jobId) {
        return JobSubmission.of(jobId, "noop", new JobRequested("noop", "{}", JobOptions.newBuilder().setJobId(jobId).build()))
                .withData("{}");
    }
}
