package io.jobstream.embedding.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.Job;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.topics.TopicCatalog;

/**
 * Backfill by replay: re-reads content.posts (compacted, so the latest version of every post) from
 * the beginning up to where it ended when the job started, and embeds every post whose vector for
 * the model is missing or stale. A second backfill of the same model finds nothing to do.
 */
final class Backfill {

    private static final Logger log = LoggerFactory.getLogger(Backfill.class);
    private static final int CHUNK = 64;

    private final EmbeddingModels models;
    private final EmbeddingRepository embeddings;
    private final String bootstrapServers;
    private final Deserializer<ContentIngested> posts = AvroSerde.of(ContentIngested.class).deserializer();

    Backfill(EmbeddingModels models, EmbeddingRepository embeddings, String bootstrapServers) {
        this.models = models;
        this.embeddings = embeddings;
        this.bootstrapServers = bootstrapServers;
    }

    EmbeddingJobResult run(Job<EmbeddingRequested> job) {
        EmbeddingBatcher model = models.get(job.data().getModel());
        String modelName = model.provider().model();
        try (KafkaConsumer<String, byte[]> consumer = consumer(job.id())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.CONTENT_POSTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = records(end.values()) - records(consumer.beginningOffsets(partitions).values());
            long read = 0;
            int embedded = 0;
            List<ContentIngested> chunk = new ArrayList<>(CHUNK);
            while (!reached(consumer, end)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    read++;
                    ContentIngested post = decode(record);
                    if (post != null) {
                        chunk.add(post);
                    }
                    if (chunk.size() == CHUNK) {
                        embedded += embedStale(chunk, model, modelName);
                        chunk.clear();
                    }
                }
                job.progress(total == 0 ? 100 : (int) (100 * read / total), "replayed " + read + "/" + total + " posts");
            }
            embedded += embedStale(chunk, model, modelName);
            log.info("backfill finished jobId={} model={} read={} embedded={}", job.id(), modelName, read, embedded);
            return new EmbeddingJobResult(null, "{\"model\": \"%s\", \"processed\": %d, \"embedded\": %d, \"skipped\": %d}"
                    .formatted(modelName, read, embedded, read - embedded));
        }
    }

    private int embedStale(List<ContentIngested> chunk, EmbeddingBatcher model, String modelName) {
        if (chunk.isEmpty()) {
            return 0;
        }
        Map<String, String> stored = embeddings.storedHashes("post", chunk.stream().map(ContentIngested::getPostId).toList(), modelName);
        List<ContentIngested> stale = chunk.stream().filter(p -> !p.getTextHash().equals(stored.get(p.getPostId()))).toList();
        if (stale.isEmpty()) {
            return 0;
        }
        List<float[]> vectors = model.embedAll(stale.stream().map(ContentIngested::getText).toList());
        List<Embedding> rows = new ArrayList<>(stale.size());
        for (int i = 0; i < stale.size(); i++) {
            ContentIngested post = stale.get(i);
            rows.add(new Embedding("post", post.getPostId(), modelName, post.getTextHash(), vectors.get(i), post.getText()));
        }
        embeddings.upsert(rows);
        return rows.size();
    }

    private ContentIngested decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return posts.deserialize(record.topic(), record.value());
        } catch (RuntimeException unreadable) {
            log.warn("backfill skips an unreadable post partition={} offset={}", record.partition(), record.offset());
            return null;
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static long records(Collection<Long> offsets) {
        return offsets.stream().mapToLong(Long::longValue).sum();
    }

    private KafkaConsumer<String, byte[]> consumer(String jobId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "backfill-" + jobId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
