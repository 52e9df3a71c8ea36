package io.jobstream.core.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsConfigs;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * A worker that keeps up with its queue commits a job's outcome soon after the job ends, not at its commit
 * interval: the interval here is five minutes, and each job's COMPLETED must be readable (read_committed)
 * well before that.
 */
class CaughtUpCommitsIT {

    private static final QueueTopics QUEUE = TopicCatalog.queue("prompt");
    private static final Duration COMMIT_INTERVAL = Duration.ofMinutes(5);
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path dataDir;

    @Test
    void aCaughtUpWorkersOutcomesAreVisibleLongBeforeItsCommitInterval() throws Exception {
        QueueWorker<JobRequested, String, Void> worker = QueueWorker
                .forQueue(QUEUE, AvroSerde.of(JobRequested.class), job -> "{}")
                .concurrency(AsyncStepSettings.of(4, Duration.ofSeconds(30)))
                .build();
        StreamsProperties settings = new StreamsProperties(kafka.bootstrapServers(), "caught-up-commits-test", "", dataDir, 0,
                COMMIT_INTERVAL, 1, Duration.ofSeconds(10)).withCaughtUpCommitInterval(Duration.ofMillis(20));
        Properties config = StreamsConfigs.of(settings);
        // A transaction may stay open for the whole commit interval.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Long.toString(COMMIT_INTERVAL.multipliedBy(2).toMillis()));
        try (ManagedStreams streams = new ManagedStreams(worker.addTo(new Topology()), settings, config, TopicCatalog.all(List.of(QUEUE)));
             JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "caught-up-commits-test", 1)) {
            streams.start();
            TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
            // One job after another, each added once the previous one's outcome is visible.
            for (int i = 0; i < 3; i++) {
                String jobId = "prompt-" + i;
                publisher.submit(QUEUE, JobSubmission.of(jobId, "noop",
                        new JobRequested("noop", "{}", JobOptions.newBuilder().setJobId(jobId).build())).withData("{}"));
                Await.until(Duration.ofSeconds(60), jobId + " completed and committed", () -> events
                        .values(bytes -> EVENTS.deserialize("", bytes)).stream()
                        .anyMatch(event -> event.getJobId().equals(jobId) && event.getState() == JobState.COMPLETED));
            }
            events.close();
        }
    }
}
