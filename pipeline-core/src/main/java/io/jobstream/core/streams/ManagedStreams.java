package io.jobstream.core.streams;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Metrics;

import io.jobstream.topics.TopicProvisioner;
import io.jobstream.topics.TopicSpec;

/**
 * One Kafka Streams application with its life cycle: creates the topics it needs, starts, and
 * closes gracefully (commit, leave the group) when the service stops, SIGTERM included.
 */
public final class ManagedStreams implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagedStreams.class);
    /**
     * How soon metrics Kafka adds while running (a partition's records-lag once it is assigned) are
     * published: Micrometer's default would take a minute.
     */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(10);

    private final Topology topology;
    private final StreamsProperties settings;
    private final Properties config;
    private final Collection<TopicSpec> topics;
    private volatile KafkaStreams streams;
    private AutoCloseable metrics;
    private ScheduledExecutorService metricsRefresh;

    public ManagedStreams(Topology topology, StreamsProperties settings, Collection<TopicSpec> topics) {
        this(topology, settings, StreamsConfigs.of(settings), topics);
    }

    public ManagedStreams(Topology topology, StreamsProperties settings, Properties config, Collection<TopicSpec> topics) {
        this.topology = topology;
        this.settings = settings;
        this.config = config;
        this.topics = topics;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            TopicProvisioner.ensure(admin, topics);
        }
        KafkaStreams created = new KafkaStreams(topology, config);
        // A failed stream thread is replaced, so one poison exception never stops the service.
        created.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed, replacing it application={}", settings.applicationId(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((next, previous) ->
                log.info("streams state application={} from={} to={}", settings.applicationId(), previous, next));
        // Kafka's own client and Streams metrics (consumer lag per input partition among them), beside the job metrics.
        metricsRefresh = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("kafka-streams-metrics").factory());
        metrics = StreamsMeters.bindTo(Metrics.globalRegistry, created, metricsRefresh, METRICS_REFRESH);
        created.start();
        streams = created;
    }

    @Override
    public synchronized void stop() {
        if (streams == null) {
            return;
        }
        streams.close(CloseOptions.timeout(settings.closeTimeout())
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        try {
            metrics.close();
        } catch (Exception e) {
            log.warn("kafka streams meters not removed application={}", settings.applicationId(), e);
        }
        metricsRefresh.shutdownNow();
        streams = null;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The running instance, for interactive queries and metadata. */
    public KafkaStreams streams() {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("streams application " + settings.applicationId() + " is not running");
        }
        return current;
    }

    public StreamsProperties settings() {
        return settings;
    }
}
