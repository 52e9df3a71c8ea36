package io.jobstream.ingest.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

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
 * An index of each queue's dead-letter topic: the newest dead letter per job, kept by a consumer
 * that each request only moves from where the last one stopped to the topic's current end. So a
 * listing reads just the dead letters written since the previous one, and still sees every dead
 * letter written before the request.
 */
@Component
public class DeadLetters implements AutoCloseable {

    private static final Duration READ_LIMIT = Duration.ofSeconds(15);
    private static final Comparator<DeadLetter> NEWEST_FIRST = Comparator.comparing(DeadLetter::lastFailureAt).reversed()
            .thenComparing(letter -> letter.job().jobId());

    private final String bootstrapServers;
    private final Map<String, QueueIndex> indexes = new ConcurrentHashMap<>();

    public DeadLetters(StreamsProperties kafka) {
        this.bootstrapServers = kafka.bootstrapServers();
    }

    /** The newest dead letter of each job, newest first. */
    public List<DeadLetter> latestPerJob(QueueTopics queue) {
        return indexes.computeIfAbsent(queue.deadLetters(), topic -> new QueueIndex(queue)).caughtUp();
    }

    @Override
    public void close() {
        indexes.values().forEach(QueueIndex::close);
    }

    private final class QueueIndex {

        private final QueueTopics queue;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<String, DeadLetter> newestPerJob = new HashMap<>();

        QueueIndex(QueueTopics queue) {
            this.queue = queue;
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        }

        /** Reads what was written since the last request, up to the end as of now; a consumer is not thread-safe. */
        synchronized List<DeadLetter> caughtUp() {
            List<TopicPartition> partitions = consumer.partitionsFor(queue.deadLetters(), READ_LIMIT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            if (!consumer.assignment().containsAll(partitions)) {
                consumer.assign(partitions);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_LIMIT);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!reachedEnd(end)) {
                if (System.nanoTime() > deadline) {
                    throw new StatusUnavailableException("could not read " + queue.deadLetters() + " to its end in " + READ_LIMIT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    DeadLetter letter = DeadLetter.of(queue.queue(), record);
                    newestPerJob.merge(letter.job().jobId(), letter,
                            (kept, next) -> next.lastFailureAt().isBefore(kept.lastFailureAt()) ? kept : next);
                }
            }
            List<DeadLetter> newestFirst = new ArrayList<>(newestPerJob.values());
            newestFirst.sort(NEWEST_FIRST);
            return newestFirst;
        }

        private boolean reachedEnd(Map<TopicPartition, Long> end) {
            return end.entrySet().stream().allMatch(partition -> consumer.position(partition.getKey()) >= partition.getValue());
        }

        synchronized void close() {
            consumer.close();
        }
    }
}
