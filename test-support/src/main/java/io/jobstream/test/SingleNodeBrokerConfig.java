package io.jobstream.test;

import java.util.Map;

/** Broker settings shared by the in-JVM broker and the broker process: one node, fast to start. */
public final class SingleNodeBrokerConfig {

    private SingleNodeBrokerConfig() {
    }

    public static Map<String, String> properties() {
        return Map.ofEntries(
                // Production creates every topic from the catalog; tests must do the same.
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "1"),
                // One node: every internal topic has exactly one replica.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("min.insync.replicas", "1"),
                // Fewer partitions for internal topics: their creation is on the first test's path.
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("share.coordinator.state.topic.num.partitions", "4"),
                // A crashed producer's open transaction holds back read_committed readers until the broker aborts
                // it; it looks for timed-out transactions every 10 s by default.
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
                // Groups start at once instead of waiting 3 s for more members.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("group.streams.initial.rebalance.delay.ms", "0"),
                // Streams groups (KIP-1071) otherwise take 5 s heartbeats to settle an assignment.
                Map.entry("group.streams.min.heartbeat.interval.ms", "500"),
                Map.entry("group.streams.heartbeat.interval.ms", "500"));
    }
}
