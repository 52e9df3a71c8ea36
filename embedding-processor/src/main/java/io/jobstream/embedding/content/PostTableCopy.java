package io.jobstream.embedding.content;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.deadletter.DeadLetterRecords;
import io.jobstream.events.ContentIngested;
import io.jobstream.store.Post;
import io.jobstream.store.PostRepository;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.observation.ObservationRegistry;

/**
 * Keeps content_posts, the queryable copy of content.posts, a poll at a time: each poll's posts go
 * to PostgreSQL in one batch, then its offsets are committed (at-least-once; the upsert is
 * idempotent, so a re-read after a crash writes the same rows again). An unreadable post is
 * dead-lettered (to the topic the catalog names for content.posts, with the standard dead-letter
 * headers) before the offsets pass it, so it is neither lost silently nor blocks the posts after it.
 * A Spring Kafka listener container runs the consumer: batch acknowledgement after the listener
 * returns, and a Micrometer observation of each record ({@code spring.kafka.listener} timers).
 *
 * <p>A consumer of its own rather than a step of the embedding topology: Kafka Streams commits on
 * its own schedule with no hook before the commit where a buffered batch could be written, and one
 * statement per post on the stream thread cost a database round trip per post.
 */
public final class PostTableCopy implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostTableCopy.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final String STEP = "post-table-copy";

    private final PostRepository posts;
    private final Deserializer<ContentIngested> values = AvroSerde.of(ContentIngested.class).deserializer();
    private final Map<String, Object> producerConfig;
    private final KafkaMessageListenerContainer<byte[], byte[]> container;
    private volatile Producer<byte[], byte[]> deadLetters;

    /** @param groupId the consumer group whose committed offsets say how far the copy is */
    public PostTableCopy(PostRepository posts, String bootstrapServers, String groupId, ObservationRegistry observations) {
        this.posts = posts;
        this.producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, groupId + "-dead-letters",
                ProducerConfig.ACKS_CONFIG, "all");
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // Posts are published in the webhook's transaction: an aborted request never reaches the table.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        ContainerProperties properties = new ContainerProperties(TopicCatalog.CONTENT_POSTS);
        properties.setGroupId(groupId);
        properties.setClientId(groupId);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setPollTimeout(POLL.toMillis());
        properties.setObservationEnabled(true);
        properties.setObservationRegistry(observations);
        properties.setRecordObservationsInBatch(true);
        properties.setMessageListener((BatchMessageListener<byte[], byte[]>) records -> posts.upsert(decode(records)));
        container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()), properties);
        container.setBeanName(STEP);
        // PostgreSQL away: the same poll's posts are written again every second until it is back; nothing is committed meanwhile.
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(RETRY_AFTER.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS)));
    }

    /** The poll's readable posts; the unreadable ones are on the dead-letter topic when this returns. */
    private List<Post> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Post> batch = new ArrayList<>(records.size());
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            try {
                batch.add(toPost(values.deserialize(record.topic(), record.value())));
            } catch (RuntimeException unreadable) {
                ProducerRecord<byte[], byte[]> deadLetter = DeadLetterRecords.of(record.topic(), record.partition(),
                        record.offset(), record.timestamp(), record.key(), record.value(), record.headers(), unreadable, STEP);
                log.warn("post table copy dead-letters an unreadable post key={} partition={} offset={} deadLetterTopic={} error={}",
                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), record.partition(),
                        record.offset(), deadLetter.topic(), unreadable.toString());
                sent.add(deadLetters.send(deadLetter));
            }
        }
        awaitAll(sent);
        return batch;
    }

    /** A dead letter not written fails the poll, so its offsets are not committed and it is read again. */
    private static void awaitAll(List<Future<RecordMetadata>> sent) {
        try {
            for (Future<RecordMetadata> write : sent) {
                write.get();
            }
        } catch (ExecutionException e) {
            throw new KafkaException("dead letter not written", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing dead letters", e);
        }
    }

    private static Post toPost(ContentIngested post) {
        return new Post(post.getPostId(), post.getUrl(), post.getTitle(), post.getText(), post.getAuthor(), post.getSource(),
                post.getPublishedAt(), post.getScrapedAt(), post.getIngestedAt(), post.getTextHash(), post.getMetadata());
    }

    @Override
    public synchronized void start() {
        deadLetters = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        container.start();
    }

    @Override
    public synchronized void stop() {
        container.stop();
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(10));
            deadLetters = null;
        }
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }
}
