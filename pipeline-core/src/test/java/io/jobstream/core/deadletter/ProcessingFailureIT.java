package io.jobstream.core.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes.StringSerde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicSpec;

/** A processor that throws on one record dead-letters that record and goes on with the next. */
class ProcessingFailureIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final QueueTopics QUEUE = TopicCatalog.DOCUMENT_EXTRACTION;

    @TempDir
    Path dataDir;

    @Test
    void aRecordThatMakesAProcessorThrowIsDeadLetteredAndProcessingContinues() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(QUEUE.requests(), Consumed.with(new StringSerde(),
                        new StringSerde()))
                .mapValues(text -> {
                    if (text.equals("poison")) {
                        throw new IllegalStateException("cannot handle " + text);
                    }
                    return text.toUpperCase();
                })
                .to(TopicCatalog.DOCUMENTS_INGESTED, Produced.with(new StringSerde(),
                        new StringSerde()));
        StreamsProperties settings = new StreamsProperties(kafka.bootstrapServers(), "processing-failure", "", dataDir, 0,
                Duration.ofMillis(100), 1, Duration.ofSeconds(10));
        List<TopicSpec> topics = new ArrayList<>(QUEUE.specs());
        topics.addAll(TopicCatalog.sharedTopics());
        try (ManagedStreams streams = new ManagedStreams(builder.build(), settings, topics)) {
            streams.start();
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(QUEUE.requests(), "same-key", "poison"));
                producer.send(new ProducerRecord<>(QUEUE.requests(), "same-key", "healthy"));
            }

            List<ConsumerRecord<String, String>> outputs = readAtLeast(TopicCatalog.DOCUMENTS_INGESTED, 1);
            List<ConsumerRecord<String, String>> deadLetters = readAtLeast(QUEUE.deadLetters(), 1);

            assertThat(outputs).extracting(ConsumerRecord::value).containsExactly("HEALTHY");
            ConsumerRecord<String, String> letter = deadLetters.getFirst();
            assertThat(letter.value()).isEqualTo("poison");
            assertThat(JobHeaders.text(letter.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("cannot handle poison");
            assertThat(JobHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).contains(QUEUE.requests());
            assertThat(JobHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).contains("0");
        }
    }

    private List<ConsumerRecord<String, String>> readAtLeast(String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (records.size() < count && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records on " + topic).hasSizeGreaterThanOrEqualTo(count);
        return records;
    }
}
