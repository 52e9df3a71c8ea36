package io.jobstream.embedding.content;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.deadletter.DeadLetterRecords;
import io.jobstream.events.ContentIngested;
import io.jobstream.store.Post;
import io.jobstream.store.PostRepository;
import io.jobstream.topics.TopicCatalog;

/**
 * Keeps content_posts, the queryable copy of content.posts, a poll at a time: each poll's posts go
 * to PostgreSQL in one batch, then its offsets are committed (at-least-once; the upsert is
 * idempotent, so a re-read after a crash writes the same rows again). An unreadable post is
 * dead-lettered (to the topic the catalog names for content.posts, with the standard dead-letter
 * headers) before the offsets pass it, so it is neither lost silently nor blocks the posts after it.
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
    private final Properties config;
    private final Properties producerConfig;
    private final Deserializer<ContentIngested> values = AvroSerde.of(ContentIngested.class).deserializer();
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /** @param groupId the consumer group whose committed offsets say how far the copy is */
    public PostTableCopy(PostRepository posts, String bootstrapServers, String groupId) {
        this.posts = posts;
        this.config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        // Posts are published in the webhook's transaction: an aborted request never reaches the table.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        this.producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-dead-letters");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("post-table-copy").start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> polling = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
                    KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(producerConfig,
                            new ByteArraySerializer(), new ByteArraySerializer())) {
                consumer = polling;
                polling.subscribe(List.of(TopicCatalog.CONTENT_POSTS));
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = polling.poll(POLL);
                    if (!records.isEmpty()) {
                        posts.upsert(decode(records, deadLetters));
                        polling.commitSync();
                    }
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                // PostgreSQL or Kafka away: start over from the last committed offsets once it may be back.
                log.warn("post table copy failed, resuming from the committed offsets in {} ms error={}",
                        RETRY_AFTER.toMillis(), e.toString());
                sleepQuietly();
            }
        }
    }

    /** The poll's readable posts; the unreadable ones are on the dead-letter topic when this returns. */
    private List<Post> decode(ConsumerRecords<byte[], byte[]> records, KafkaProducer<byte[], byte[]> deadLetters) {
        List<Post> batch = new ArrayList<>(records.count());
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

    /** A dead letter not written fails the poll, so its offset is not committed and it is read again. */
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

    private void sleepQuietly() {
        try {
            Thread.sleep(RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
