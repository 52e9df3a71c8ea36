package io.jobstream.ingest.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobHeaders;

/**
 * Everything committed on a topic, read from the beginning with a read_committed consumer: what
 * a processor would see. Records of aborted or open transactions are not included.
 */
public final class CommittedRecords {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private CommittedRecords() {
    }

    /** One record, its value decoded. */
    public record Committed<V>(String topic, String key, V value, Headers headers, long timestamp) {

        public String header(String name) {
            return JobHeaders.text(headers, name).orElse(null);
        }
    }

    public static <V extends SpecificRecord> List<Committed<V>> read(String bootstrapServers, String topic, Class<V> type) {
        var deserializer = AvroSerde.of(type).deserializer();
        return readRaw(bootstrapServers, topic).stream()
                .map(r -> new Committed<>(topic, r.key(), deserializer.deserialize(topic, r.value()), r.headers(), r.timestamp()))
                .toList();
    }

    /** The records whose key passes {@code keys}. */
    public static <V extends SpecificRecord> List<Committed<V>> read(String bootstrapServers, String topic, Class<V> type,
                                                                     Predicate<String> keys) {
        return read(bootstrapServers, topic, type).stream().filter(r -> keys.test(r.key())).toList();
    }

    /** How many records each topic holds. */
    public static Map<String, Long> counts(String bootstrapServers, String... topics) {
        return readRaw(bootstrapServers, topics).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::topic, TreeMap::new, Collectors.counting()));
    }

    /**
     * commitTransaction returns before every partition has its commit marker, so the last stable
     * offset can lag a transaction that already committed: wait until it reaches the high watermark.
     */
    private static Map<TopicPartition, Long> stableEnd(String bootstrapServers, KafkaConsumer<String, byte[]> committed,
                                                       List<TopicPartition> partitions) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, byte[]> uncommitted = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
                if (stable.equals(uncommitted.endOffsets(partitions)) || System.nanoTime() - deadline > 0) {
                    return stable;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stable;
                }
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readRaw(String bootstrapServers, String... topics) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Partitions whose remaining offsets are only transaction markers return nothing: do not wait for data.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = Stream.of(topics)
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed, the end is the last stable offset: nothing beyond it is committed yet.
            Map<TopicPartition, Long> end = stableEnd(bootstrapServers, consumer, partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("could not read " + List.of(topics) + " to the end within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }
}
