package io.jobstream.core.streams;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

import io.jobstream.core.deadletter.DeadLetterDeserializationHandler;
import io.jobstream.core.deadletter.DeadLetterProcessingHandler;

/** The Kafka Streams settings every jobstream service runs with. */
public final class StreamsConfigs {

    private StreamsConfigs() {
    }

    /** A third of Kafka's 3 s: a survivor learns of a crashed instance's tasks that much sooner. */
    private static final long MAX_HEARTBEAT_MS = 1_000;

    /** The Streams producer's first retry backoff; it still grows exponentially to Kafka's 1 s maximum. */
    private static final long RETRY_BACKOFF_MS = 10;

    public static Properties of(StreamsProperties p) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, p.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrapServers());
        // Outputs, store changes and input offsets commit in one transaction: a crash never
        // loses a job nor emits its result twice.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(p.commitInterval().toMillis()));
        props.put(CaughtUpCommits.INTERVAL_CONFIG, Long.toString(p.caughtUpCommitInterval().toMillis()));
        props.put(StreamsConfig.STATE_DIR_CONFIG, p.dataDir().resolve("streams").toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(p.standbyReplicas()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(p.threads()));
        if (!p.applicationServer().isBlank()) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, p.applicationServer());
        }
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        // Internal topics follow the broker's default replication, like the catalog's topics.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        // Unreadable records go to a dead-letter topic and processing continues (KIP-1034).
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        // A processor throwing on a record dead-letters that record instead of stopping the stream.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        // Results of slow steps are forwarded by punctuators; a short poll keeps them prompt when idle.
        props.put(StreamsConfig.POLL_MS_CONFIG, "20");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        long sessionMillis = p.sessionTimeout().toMillis();
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), Long.toString(sessionMillis));
        // Heartbeats are how a member learns of a rebalance (a crashed instance's tasks to take over), so 1 s, and
        // a quarter of a short session at most (a third is the consumer's limit; one may be lost).
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                Long.toString(Math.max(1, Math.min(MAX_HEARTBEAT_MS, sessionMillis / 4))));
        if (!p.instanceId().isBlank()) {
            // Streams appends each thread's index, so every consumer of the instance has its own static id.
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), p.instanceId());
        }
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
        // A transaction begun right after a commit waits (CONCURRENT_TRANSACTIONS) until the broker has written
        // that commit's markers, a millisecond or two; the default 100 ms backoff turned that wait into a 100 ms
        // stall of the stream thread whenever two commits came close together.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), Long.toString(RETRY_BACKOFF_MS));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Long.toString(Transactions.TIMEOUT.toMillis()));
        return props;
    }
}
