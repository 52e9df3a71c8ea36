package io.jobstream.topics;

import java.time.Duration;
import java.util.Map;

/**
 * How one topic is created: name, partitions and the configs that matter for its role.
 * Replication is left to the broker default so the same catalog serves a one-node dev broker
 * and a production cluster.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public static TopicSpec deleting(String name, int partitions, Duration retention) {
        return new TopicSpec(name, partitions, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(retention.toMillis())));
    }

    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("cleanup.policy", "compact"));
    }

    public TopicSpec withPartitions(int count) {
        return new TopicSpec(name, count, configs);
    }
}
