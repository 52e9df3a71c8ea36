package io.jobstream.ingest.submit;

import org.apache.kafka.streams.Topology;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobIntakeTopology;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.topics.TopicCatalog;

/**
 * The intake ({@link JobIntakeTopology}) over every declared queue: the QUEUED event of each job this
 * service, or anyone, adds alone. A Kafka Streams application of its own beside the job statuses,
 * because of its commit interval: while one of its transactions is open, read_committed readers of
 * the {@code jobs.events} partitions it writes (the job statuses among them) see no later event of
 * any job there, so it commits every {@code intake-commit-interval}, not every half second as the
 * statuses do. It keeps no state.
 */
@Component
public class JobIntakeStreams implements SmartLifecycle {

    private final ManagedStreams streams;

    /** The intake's application id (and consumer group): it reads every queue but is no worker of any. */
    public static String applicationId(StreamsProperties kafka) {
        return kafka.applicationId() + "-intake";
    }

    public JobIntakeStreams(StreamsProperties kafka, PublisherProperties publisher, QueueProperties queues) {
        StreamsProperties intake = new StreamsProperties(kafka.bootstrapServers(), applicationId(kafka), "",
                kafka.dataDir(), 0, publisher.intakeCommitInterval(), 1, kafka.closeTimeout(), kafka.instanceId(),
                kafka.sessionTimeout());
        this.streams = new ManagedStreams(new JobIntakeTopology(queues.topics()).addTo(new Topology()), intake,
                TopicCatalog.all(queues.topics()));
    }

    @Override
    public void start() {
        streams.start();
    }

    @Override
    public void stop() {
        streams.stop();
    }

    @Override
    public boolean isRunning() {
        return streams.isRunning();
    }
}
