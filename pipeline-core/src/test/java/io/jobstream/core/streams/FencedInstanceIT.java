package io.jobstream.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.TopicSpec;

/**
 * A stream thread fenced by its static instance id: the chaos run saw a restarted instance fenced, its
 * replacement thread join under a new id, and the group rebalance for minutes. The client restarts under
 * its own id instead, takes its member back and works on.
 */
class FencedInstanceIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String APPLICATION_ID = "fencing-test";
    private static final String INSTANCE_ID = "fenced-instance";
    private static final String INPUT = "fencing.in";
    private static final String OUTPUT = "fencing.out";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path instanceDir;

    @TempDir
    Path intruderDir;

    @Test
    void aFencedInstanceRestartsUnderItsOwnIdAndKeepsWorking() throws Exception {
        StreamsProperties settings = settings(instanceDir);
        try (ManagedStreams instance = new ManagedStreams(passThrough(), settings, topics())) {
            instance.start();
            Await.until(WAIT, "the instance to run", () -> instance.streams().state() == KafkaStreams.State.RUNNING);
            KafkaStreams first = instance.streams();

            // Another member joins with the same static id, as a join the broker saw twice would: it fences the instance.
            KafkaStreams intruder = new KafkaStreams(passThrough(), StreamsConfigs.of(settings(intruderDir)));
            try {
                intruder.start();
                Await.until(WAIT, "the instance to be fenced and restarted", () -> instance.streams() != first);
                Await.until(WAIT, "the restarted instance to run and the intruder to stop",
                        () -> instance.streams().state() == KafkaStreams.State.RUNNING
                                && intruder.state() == KafkaStreams.State.ERROR);
            } finally {
                intruder.close(Duration.ofSeconds(10));
            }

            assertThat(members()).extracting(member -> member.groupInstanceId().orElse(""))
                    .as("the group's members").containsExactly(INSTANCE_ID + "-1");
            send("after-fencing");
            assertThat(awaitOutput()).isEqualTo("after-fencing");
        }
    }

    private static StreamsProperties settings(Path dir) {
        return new StreamsProperties(kafka.bootstrapServers(), APPLICATION_ID, "", dir, 0, Duration.ofMillis(100), 1,
                Duration.ofSeconds(10), INSTANCE_ID, Duration.ofSeconds(6));
    }

    private static Topology passThrough() {
        Topology topology = new Topology();
        topology.addSource("in", INPUT);
        topology.addSink("out", OUTPUT, "in");
        return topology;
    }

    private static Collection<TopicSpec> topics() {
        return List.of(new TopicSpec(INPUT, 2, Map.of()), new TopicSpec(OUTPUT, 1, Map.of()));
    }

    private static Collection<MemberDescription> members() throws Exception {
        ConsumerGroupDescription group = kafka.admin().describeConsumerGroups(List.of(APPLICATION_ID))
                .describedGroups().get(APPLICATION_ID).get();
        return group.members();
    }

    private static void send(String value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(INPUT, value, value.getBytes())).get();
        }
    }

    private static String awaitOutput() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "fencing-test-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OUTPUT));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return new String(records.iterator().next().value());
                }
            }
            throw new AssertionError("no record on " + OUTPUT + " within " + WAIT);
        }
    }
}
