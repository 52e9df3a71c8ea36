package io.jobstream.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicProvisioner;

/**
 * A publisher stopped in the middle of a transaction (an ingest instance killed or hung while it submits) holds
 * back every read_committed reader of the partitions it wrote, workers included, until the broker aborts the
 * transaction. That takes seconds, not Kafka's default minute; the stopped submission is never delivered, and its
 * caller, if it is still there, learns so.
 */
class JobPublisherStalledTransactionIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    /** One partition: every job is behind the stalled transaction's record. */
    private static final QueueTopics QUEUE = new QueueTopics("stalled", 1);
    /** Well under a producer's default transaction timeout of 60 s, and well over this one's. */
    private static final Duration HELD_BACK_AT_MOST = Duration.ofSeconds(40);

    @Test
    void aStalledTransactionHoldsBackTheJobsBehindItOnlyUntilTheBrokerAbortsIt() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.all(List.of(QUEUE)));
        }
        CountDownLatch resume = new CountDownLatch(1);
        try (JobPublisher stalled = new JobPublisher(kafka.bootstrapServers(), "stalled-publisher", 1);
             JobPublisher live = new JobPublisher(kafka.bootstrapServers(), "live-publisher", 1)) {
            CompletableFuture<List<SubmittedJob>> stalledSubmission = CompletableFuture.supplyAsync(() ->
                    stalled.inTransaction(batch -> {
                        batch.submit(QUEUE, job("stalled"));
                        awaitQuietly(resume);
                    }));
            Await.until(Duration.ofSeconds(30), "the stalled job's record on the partition, uncommitted",
                    () -> keys(QUEUE.requests(), "read_uncommitted").contains("stalled"));

            live.submit(QUEUE, job("behind"));

            Await.until(HELD_BACK_AT_MOST, "the job behind the stalled transaction visible to its worker",
                    () -> keys(QUEUE.requests(), "read_committed").contains("behind"));
            assertThat(keys(QUEUE.requests(), "read_committed")).containsExactly("behind");

            resume.countDown();
            assertThat(stalledSubmission).as("the stalled caller learns its job was not submitted")
                    .failsWithin(Duration.ofSeconds(30));
            stalled.submitAll(QUEUE, List.of(job("later-a"), job("later-b")));
            Await.until(Duration.ofSeconds(30), "the stalled publisher's next bulk add",
                    () -> keys(QUEUE.requests(), "read_committed").containsAll(List.of("later-a", "later-b")));
            assertThat(keys(QUEUE.requests(), "read_committed")).doesNotContain("stalled");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JobSubmission<JobRequested> job(String jobId) {
        return JobSubmission.of(jobId, "noop", new JobRequested("noop", "{}", JobOptions.newBuilder().setJobId(jobId).build()));
    }

    /** The keys of the topic's records an {@code isolation} reader sees now, in order. */
    private static List<String> keys(String topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // What this reader may read: up to the last stable offset for read_committed.
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> keys = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    keys.add(record.key());
                }
            }
            return keys;
        }
    }
}
