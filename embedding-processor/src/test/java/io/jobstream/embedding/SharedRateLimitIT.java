package io.jobstream.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.RedisExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/**
 * Two processor instances take their job tokens from one bucket in Redis: together they never run
 * more jobs in a period than the bucket holds, and jobs that find no token wait without losing an
 * attempt.
 */
class SharedRateLimitIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static final int JOBS = 30;
    private static final int CAPACITY = 10;
    private static final Duration PERIOD = Duration.ofSeconds(6);
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();

    @TempDir
    Path firstDir;

    @TempDir
    Path secondDir;

    @Test
    void twoInstancesTogetherStayWithinOneSharedBucket() throws Exception {
        String[] limits = {
                "--jobstream.rate-limits.redis-url=" + redis.uri(),
                "--jobstream.rate-limits.buckets.embedding-jobs.capacity=" + CAPACITY,
                "--jobstream.rate-limits.buckets.embedding-jobs.period=" + PERIOD.toSeconds() + "s"};
        try (EmbeddingProcessorInstance first = EmbeddingProcessorInstance.start(kafka, postgres, firstDir, limits);
             EmbeddingProcessorInstance second = EmbeddingProcessorInstance.start(kafka, postgres, secondDir, limits);
             JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "shared-limit-test", 1);
             TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS)) {
            Await.until(Duration.ofSeconds(60), "both instances running with tasks", () ->
                    first.bean(ManagedStreams.class).streams().metadataForLocalThreads().stream()
                            .anyMatch(t -> !t.activeTasks().isEmpty())
                    && second.bean(ManagedStreams.class).streams().metadataForLocalThreads().stream()
                            .anyMatch(t -> !t.activeTasks().isEmpty()));
            List<JobSubmission<EmbeddingRequested>> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String id = "product-embedding:limited-" + i;
                jobs.add(JobSubmission.of(id, "product-embedding", EmbeddingRequested.newBuilder().setJobId(id)
                        .setEntityType("product").setEntityId("limited-" + i).setText(SyntheticPosts.text(i)).build())
                        .withKey("product:limited-" + i));
            }
            publisher.submitAll(TopicCatalog.EMBEDDING, jobs);

            Await.until(Duration.ofSeconds(90), "every limited job completed", () -> completed(events).size() == JOBS);

            List<JobEvent> completions = completed(events);
            assertThat(completions).allSatisfy(e -> assertThat(e.getAttempt()).as("attempt of %s", e.getJobId()).isEqualTo(1));
            Instant firstDone = completions.stream().map(JobEvent::getTimestamp).min(Instant::compareTo).orElseThrow();
            long inFirstPeriod = completions.stream()
                    .filter(e -> e.getTimestamp().isBefore(firstDone.plus(PERIOD).minusMillis(500))).count();
            assertThat(inFirstPeriod).as("jobs run in the first period by both instances together").isLessThanOrEqualTo(CAPACITY);
            assertThat(all(events)).as("jobs waited for tokens").anyMatch(e -> e.getState() == JobState.DELAYED);
            assertThat(all(events)).noneMatch(e -> e.getState() == JobState.DEAD_LETTERED || e.getState() == JobState.RETRY_SCHEDULED);
        }
    }

    private static List<JobEvent> all(TopicTail events) {
        return events.records().stream().filter(r -> r.key().startsWith("product-embedding:limited-"))
                .map(r -> EVENTS.deserialize(r.topic(), r.value())).toList();
    }

    private static List<JobEvent> completed(TopicTail events) {
        return all(events).stream().filter(e -> e.getState() == JobState.COMPLETED).toList();
    }
}
