package io.jobstream.local;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Records written to each topic between two readings of the broker's end offsets: what the broker
 * (and every producer and consumer) handles per job, the main driver of its CPU. Offsets also count
 * transaction markers, which the broker writes too.
 */
final class TopicRecords {

    private final String bootstrapServers;
    private final Map<String, Long> start;

    private TopicRecords(String bootstrapServers, Map<String, Long> start) {
        this.bootstrapServers = bootstrapServers;
        this.start = start;
    }

    static TopicRecords start(String bootstrapServers) {
        return new TopicRecords(bootstrapServers, endOffsets(bootstrapServers));
    }

    /** Records written since the start, by topic name; topics with none are left out. */
    Map<String, Long> since() {
        Map<String, Long> written = new TreeMap<>();
        endOffsets(bootstrapServers).forEach((topic, end) -> {
            long records = end - start.getOrDefault(topic, 0L);
            if (records > 0) {
                written.put(topic, records);
            }
        });
        return written;
    }

    private static Map<String, Long> endOffsets(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            Set<String> topics = admin.listTopics().names().get();
            Set<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                    .collect(Collectors.toSet());
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.groupingBy(e -> e.getKey().topic(), Collectors.summingLong(e -> e.getValue().offset())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while reading topic offsets", e);
        } catch (ExecutionException e) {
            throw new LaunchException("cannot read topic offsets: " + e.getCause().getMessage(), e);
        }
    }
}
