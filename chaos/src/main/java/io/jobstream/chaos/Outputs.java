package io.jobstream.chaos;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.ChatCompleted;
import io.jobstream.events.DocumentIngested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/** The output topics, read with read_committed consumers from the beginning: how many records each job id has. */
final class Outputs implements AutoCloseable {

    private final Map<String, TopicTail> tails = new HashMap<>();
    private final Map<String, Function<byte[], String>> jobIds = Map.of(
            TopicCatalog.EMBEDDINGS_STORED, jobId(EmbeddingStored.class, EmbeddingStored::getJobId),
            TopicCatalog.CHAT_RESPONSES, jobId(ChatCompleted.class, ChatCompleted::getJobId),
            TopicCatalog.DOCUMENTS_INGESTED, jobId(DocumentIngested.class, DocumentIngested::getJobId));

    Outputs(String bootstrapServers) {
        jobIds.keySet().forEach(topic -> tails.put(topic, new TopicTail(bootstrapServers, topic)));
    }

    /** Records per job id on {@code topic}, as read so far. */
    Map<String, Integer> perJob(String topic) {
        Map<String, Integer> counts = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> records = tails.get(topic).records();
        for (ConsumerRecord<String, byte[]> record : records) {
            counts.merge(jobIds.get(topic).apply(record.value()), 1, Integer::sum);
        }
        return counts;
    }

    private static <T extends SpecificRecord> Function<byte[], String> jobId(Class<T> type, Function<T, CharSequence> id) {
        Deserializer<T> decoder = AvroSerde.of(type).deserializer();
        return bytes -> id.apply(decoder.deserialize(null, bytes)).toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (TopicTail tail : tails.values()) {
            tail.close();
        }
    }
}
