package io.jobstream.ingest.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.stereotype.Component;

import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.topics.QueueTopics;

/**
 * Reads a queue's dead-letter topic from the beginning to its current end. Dead letters are rare and
 * kept for 30 days, so a full read per admin request is cheap, and the topic stays the one place
 * they live (nothing to keep in sync).
 */
@Component
public class DeadLetters {

    private static final Duration READ_LIMIT = Duration.ofSeconds(15);

    private final String bootstrapServers;

    public DeadLetters(StreamsProperties kafka) {
        this.bootstrapServers = kafka.bootstrapServers();
    }

    /** The newest dead letter of each job, newest first. */
    public List<DeadLetter> latestPerJob(QueueTopics queue) {
        Map<String, DeadLetter> byJob = new LinkedHashMap<>();
        for (DeadLetter letter : readAll(queue)) {
            byJob.merge(letter.job().jobId(), letter,
                    (kept, next) -> next.lastFailureAt().isBefore(kept.lastFailureAt()) ? kept : next);
        }
        List<DeadLetter> newestFirst = new ArrayList<>(byJob.values());
        newestFirst.sort((a, b) -> b.lastFailureAt().compareTo(a.lastFailureAt()));
        return newestFirst;
    }

    private List<DeadLetter> readAll(QueueTopics queue) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(queue.deadLetters(), READ_LIMIT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_LIMIT);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new StatusUnavailableException("could not read " + queue.deadLetters() + " to its end in " + READ_LIMIT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(DeadLetter.of(queue.queue(), record));
                }
            }
        }
        return letters;
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(partition -> consumer.position(partition.getKey()) >= partition.getValue());
    }
}
