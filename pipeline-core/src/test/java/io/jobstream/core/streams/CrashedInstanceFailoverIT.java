package io.jobstream.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.StaticMembers;
import io.jobstream.topics.TopicSpec;

/**
 * A crashed instance's partitions go to the surviving instance as soon as its supervisor removes its static
 * member, not when the member's session times out: the chaos run's instances with static membership held a
 * dead instance's jobs until it had restarted (22-97 s on the loaded machine).
 */
class CrashedInstanceFailoverIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Far longer than {@link #WAIT}: nothing but the removal can hand the partitions over in time. */
    private static final Duration SESSION = Duration.ofMinutes(5);
    private static final String APPLICATION_ID = "failover-test";
    private static final String INPUT = "failover.in";
    private static final String OUTPUT = "failover.out";
    private static final int PARTITIONS = 4;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path crashedDir;

    @TempDir
    Path survivorDir;

    @Test
    void theSurvivorServesACrashedInstancesPartitionsOnceItsStaticMemberIsRemoved() throws Exception {
        try (ManagedStreams survivor = new ManagedStreams(passThrough(), settings("survivor", survivorDir), topics())) {
            ManagedStreams crashed = new ManagedStreams(passThrough(), settings("crashed", crashedDir), topics());
            crashed.start();
            survivor.start();
            Await.until(WAIT, "both instances to run with partitions of their own", () ->
                    running(crashed) && running(survivor) && !assigned(crashed).isEmpty() && !assigned(survivor).isEmpty());

            // Closed without leaving its group, as a crashed JVM would: the group keeps its partitions for its member.
            crashed.streams().close(Duration.ofSeconds(10));
            assertThat(StaticMembers.remove(kafka.bootstrapServers(), "crashed"))
                    .containsExactly(APPLICATION_ID + "/crashed-1");

            send();
            assertThat(awaitOutputPartitionsOfInput()).as("records from every input partition, through the survivor")
                    .hasSize(PARTITIONS);
        }
    }

    private static boolean running(ManagedStreams instance) {
        return instance.streams().state() == KafkaStreams.State.RUNNING;
    }

    private static Set<Integer> assigned(ManagedStreams instance) {
        Set<Integer> partitions = new HashSet<>();
        instance.streams().metadataForLocalThreads().forEach(thread -> thread.activeTasks()
                .forEach(task -> task.topicPartitions().forEach(partition -> partitions.add(partition.partition()))));
        return partitions;
    }

    private static StreamsProperties settings(String instanceId, Path dir) {
        return new StreamsProperties(kafka.bootstrapServers(), APPLICATION_ID, "", dir, 0, Duration.ofMillis(100), 1,
                Duration.ofSeconds(10), instanceId, SESSION);
    }

    private static Topology passThrough() {
        Topology topology = new Topology();
        topology.addSource("in", INPUT);
        topology.addSink("out", OUTPUT, "in");
        return topology;
    }

    private static List<TopicSpec> topics() {
        return List.of(new TopicSpec(INPUT, PARTITIONS, Map.of()), new TopicSpec(OUTPUT, 1, Map.of()));
    }

    /** One record to each input partition, its value naming the partition. */
    private static void send() throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(INPUT, partition, "key", Integer.toString(partition))).get();
            }
        }
    }

    private static Set<Integer> awaitOutputPartitionsOfInput() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "failover-test-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<Integer> seen = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(OUTPUT));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < PARTITIONS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(Integer.parseInt(record.value()));
                }
            }
        }
        return seen;
    }
}
