package io.jobstream.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicProvisioner;

/**
 * Concurrent bulk adds share transactions (group commit), and each caller's answer is still its
 * own: every job a caller was told is submitted is on the queue exactly once, with its event, and a
 * caller whose jobs cannot all be sent is told so, none of them written, without failing the others
 * of its group.
 */
class JobPublisherGroupCommitIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final QueueTopics QUEUE = TopicCatalog.queue("group-commit");
    private static final int CALLERS = 32;
    private static final int JOBS = 600;

    @Test
    void concurrentAddsAreEachSubmittedOnceAndAnUnsendableOneFailsAlone() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.all(List.of(QUEUE)));
        }
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        try (JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "group-commit-test", 2)) {
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String callId = "job-" + i;
                // Every 50th call's second job has no name, which Avro cannot serialize.
                boolean unsendable = i % 50 == 7;
                calls.add(callers.submit(() -> {
                    try {
                        publisher.submitAll(QUEUE, List.of(job(callId + "-a", "noop"), job(callId + "-b", unsendable ? null : "noop")))
                                .forEach(job -> accepted.add(job.jobId()));
                    } catch (RuntimeException e) {
                        refused.add(callId);
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            callers.shutdown();

            assertThatThrownBy(() -> publisher.submit(QUEUE, JobSubmission.of("alone", "noop",
                    new JobRequested(null, "{}", JobOptions.newBuilder().build()))))
                    .isInstanceOf(RuntimeException.class);
        }

        assertThat(refused).hasSize(JOBS / 50).allMatch(id -> Integer.parseInt(id.substring(4)) % 50 == 7);
        assertThat(accepted).hasSize(2 * (JOBS - JOBS / 50));
        assertThat(committedKeys(QUEUE.requests())).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(committedKeys(TopicCatalog.JOB_EVENTS)).containsExactlyInAnyOrderElementsOf(accepted);
    }

    private static JobSubmission<JobRequested> job(String jobId, String name) {
        return JobSubmission.of(jobId, "noop", new JobRequested(name, "{}", JobOptions.newBuilder().setJobId(jobId).build()));
    }

    /** Every committed record's key, read_committed from the beginning. */
    private static List<String> committedKeys(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> keys = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    keys.add(record.key());
                }
            }
            return keys;
        }
    }
}
