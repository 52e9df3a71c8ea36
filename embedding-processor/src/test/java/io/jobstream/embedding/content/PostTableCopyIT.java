package io.jobstream.embedding.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.ContentIngested;
import io.jobstream.store.PostRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.observation.ObservationRegistry;

/** The copy of content.posts in PostgreSQL dead-letters a post it cannot read and copies the ones after it. */
class PostTableCopyIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void anUnreadablePostIsDeadLetteredAndTheNextPostIsStillCopied() throws Exception {
        Flyway.configure().dataSource(postgres.dataSource()).load().migrate();
        kafka.createTopics(List.of(new NewTopic(TopicCatalog.CONTENT_POSTS, 1, (short) 1),
                new NewTopic(TopicCatalog.JOBS_DEAD_LETTERS, 1, (short) 1)));
        String text = "A readable post about long fermentation.";
        byte[] good = AvroSerde.of(ContentIngested.class).serializer().serialize(TopicCatalog.CONTENT_POSTS,
                ContentIngested.newBuilder().setPostId("good-post").setText(text).setTextHash(TextHash.of(text))
                        .setIngestedAt(Instant.parse("2026-01-31T15:30:00Z")).build());
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.CONTENT_POSTS, "garbage-post",
                    "not an avro record".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(TopicCatalog.CONTENT_POSTS, "good-post", good)).get();
        }

        PostTableCopy copy = new PostTableCopy(new PostRepository(postgres.dataSource()), kafka.bootstrapServers(),
                "post-table-copy-test", ObservationRegistry.NOOP);
        JdbcTemplate jdbc = new JdbcTemplate(postgres.dataSource());
        try (TopicTail deadLetters = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOBS_DEAD_LETTERS)) {
            copy.start();
            Await.until(WAIT, "the good post copied", () -> jdbc.queryForObject(
                    "SELECT count(*) FROM content_posts WHERE post_id = 'good-post'", Long.class) == 1);
            Await.until(WAIT, "the garbage post dead-lettered", () -> !deadLetters.records().isEmpty());

            assertThat(jdbc.queryForObject("SELECT count(*) FROM content_posts", Long.class)).isEqualTo(1);
            ConsumerRecord<String, byte[]> deadLetter = deadLetters.records().getFirst();
            assertThat(deadLetter.key()).isEqualTo("garbage-post");
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("not an avro record");
            assertThat(JobHeaders.text(deadLetter.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).contains(TopicCatalog.CONTENT_POSTS);
            assertThat(JobHeaders.number(deadLetter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).contains(0L);
            assertThat(JobHeaders.text(deadLetter.headers(), DeadLetterHeaders.EXCEPTION_CLASS)).isPresent();
            assertThat(JobHeaders.text(deadLetter.headers(), DeadLetterHeaders.STEP)).contains("post-table-copy");
        } finally {
            copy.stop();
        }
    }
}
