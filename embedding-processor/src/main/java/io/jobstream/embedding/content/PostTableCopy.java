package io.jobstream.embedding.content;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import io.jobstream.events.ContentIngested;
import io.jobstream.store.Post;
import io.jobstream.store.PostRepository;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.observation.ObservationRegistry;

/**
 * Keeps content_posts, the queryable copy of content.posts, a poll at a time: each poll's posts go
 * to PostgreSQL in one batch, then its offsets are committed (at-least-once; the upsert is
 * idempotent, so a re-read after a crash writes the same rows again). A Spring Kafka listener
 * container runs the consumer: batch acknowledgement after the listener returns, and a Micrometer
 * observation of each record in {@code observations} ({@code spring.kafka.listener} timers).
 *
 * <p>A consumer of its own rather than a step of the embedding topology: Kafka Streams commits on
 * its own schedule with no hook before the commit where a buffered batch could be written, and one
 * statement per post on the stream thread cost a database round trip per post.
 */
public final class PostTableCopy implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostTableCopy.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final PostRepository posts;
    private final Deserializer<ContentIngested> values = AvroSerde.of(ContentIngested.class).deserializer();
    private final KafkaMessageListenerContainer<String, byte[]> container;

    /** @param groupId the consumer group whose committed offsets say how far the copy is */
    public PostTableCopy(PostRepository posts, String bootstrapServers, String groupId, ObservationRegistry observations) {
        this.posts = posts;
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
        properties.setMessageListener((BatchMessageListener<String, byte[]>) records -> posts.upsert(decode(records)));
        container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()), properties);
        container.setBeanName("post-table-copy");
        // PostgreSQL away: the same poll's posts are written again every second until it is back; nothing is committed meanwhile.
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(RETRY_AFTER.toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS)));
    }

    private List<Post> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<Post> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            try {
                batch.add(toPost(values.deserialize(record.topic(), record.value())));
            } catch (RuntimeException unreadable) {
                log.warn("post table copy skips an unreadable post key={} partition={} offset={} error={}",
                        record.key(), record.partition(), record.offset(), unreadable.toString());
            }
        }
        return batch;
    }

    private static Post toPost(ContentIngested post) {
        return new Post(post.getPostId(), post.getUrl(), post.getTitle(), post.getText(), post.getAuthor(), post.getSource(),
                post.getPublishedAt(), post.getScrapedAt(), post.getIngestedAt(), post.getTextHash(), post.getMetadata());
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }
}
