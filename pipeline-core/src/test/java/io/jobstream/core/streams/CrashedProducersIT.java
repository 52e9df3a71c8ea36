package io.jobstream.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.test.Await;
import io.jobstream.test.CrashedProducers;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicSpec;

/**
 * A crashed instance's open transaction holds every read_committed reader of the partitions it wrote (the
 * survivor, the next step, the status fold) until the broker aborts it. Its supervisor fences it at once, from
 * the instance's data directory, instead of leaving it to the transaction's timeout.
 */
class CrashedProducersIT {

    /** What a reader may wait for the fence to take effect: well short of the crashed transaction's timeout. */
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** Far longer than {@link #WAIT}: only the fence can end the transaction in time. */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(90);
    private static final String APPLICATION_ID = "crashed-producers-test";
    private static final String INPUT = "crashed-producers.in";
    private static final String OUTPUT = "crashed-producers.out";
    /** The input value on which the instance stops inside its transaction, as a crashed JVM would. */
    private static final String HANG = "hang";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path dataDir;

    @Test
    void aCrashedInstancesOpenTransactionHoldsReadersOnlyUntilItsSupervisorFencesIt() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        StreamsProperties settings = new StreamsProperties(kafka.bootstrapServers(), APPLICATION_ID, "", dataDir, 0,
                Duration.ofMillis(100), 1, Duration.ofSeconds(10), "crashed", Duration.ofMinutes(5));
        Properties config = StreamsConfigs.of(settings);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Long.toString(TRANSACTION_TIMEOUT.toMillis()));
        try (ManagedStreams crashed = new ManagedStreams(forwardThenHang(released), settings, config, topics())) {
            try {
                crashed.start();
                Await.until(WAIT, "the instance running", () -> crashed.streams().state() == KafkaStreams.State.RUNNING);

                send(INPUT, HANG);
                Await.until(WAIT, "the hung transaction's record on the output partition",
                        () -> read(OUTPUT, "read_uncommitted").contains(HANG));
                send(OUTPUT, "after");

                assertThat(CrashedProducers.fence(kafka.bootstrapServers(), dataDir))
                        .singleElement().asString().startsWith(APPLICATION_ID + "-").endsWith("-1");
                Await.until(WAIT, "the record after the hung transaction visible to read_committed readers",
                        () -> read(OUTPUT, "read_committed").contains("after"));
                assertThat(read(OUTPUT, "read_committed")).as("the fenced transaction's record, aborted").doesNotContain(HANG);
            } finally {
                released.countDown();
            }
        }
    }

    @Test
    void nothingIsFencedForADataDirectoryWithoutKafkaStreamsState() {
        assertThat(CrashedProducers.fence(kafka.bootstrapServers(), dataDir.resolve("never-ran"))).isEmpty();
    }

    /** Passes records on; on {@link #HANG} it stops after forwarding, its transaction open, until released. */
    private static Topology forwardThenHang(CountDownLatch released) {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("forward", () -> new Processor<String, String, String, String>() {
            private ProcessorContext<String, String> context;

            @Override
            public void init(ProcessorContext<String, String> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, String> record) {
                context.<KeyValueStore<String, String>>getStateStore("seen").put(record.key(), record.value());
                context.forward(record);
                if (HANG.equals(record.value())) {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }, "in");
        // Kafka Streams keeps its process id (the transactional ids' middle part) only for an application with state.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("seen"), Serdes.String(),
                Serdes.String()), "forward");
        topology.addSink("out", OUTPUT, new StringSerializer(), new StringSerializer(), "forward");
        return topology;
    }

    private static List<TopicSpec> topics() {
        return List.of(new TopicSpec(INPUT, 1, Map.of()), new TopicSpec(OUTPUT, 1, Map.of()));
    }

    private static void send(String topic, String value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "key", value)).get();
        }
    }

    /** The values on the topic now, as a reader with {@code isolation} sees them. */
    private static List<String> read(String topic, String isolation) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = consumer.endOffsets(partitions).values().iterator().next();
            List<String> values = new ArrayList<>();
            for (int polls = 0; polls < 20 && consumer.position(partitions.getFirst()) < end; polls++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
