package io.jobstream.core.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.common.errors.FencedInstanceIdException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Metrics;

import io.jobstream.topics.TopicProvisioner;
import io.jobstream.topics.TopicSpec;

/**
 * One Kafka Streams application with its life cycle: creates the topics it needs, starts, and
 * closes gracefully (commit, leave the group) when the service stops, SIGTERM included.
 *
 * <p>A stream thread that fails is replaced, so one poison exception never stops the service. A thread
 * fenced by its static instance id is different: a replacement would join under a new id (Streams numbers
 * threads anew), leaving the old id's member to hold its partitions until its session expires, and the group
 * rebalancing meanwhile (the chaos run saw this go on for minutes after kill -9s). The whole client restarts
 * instead, under the same id, which takes its member back at once. Another instance configured with the same
 * id would fence it again and again: fenced {@value #FENCINGS_LIMIT} times within {@link #FENCINGS_WINDOW},
 * the client stays stopped (health DOWN) rather than fight it.
 */
public final class ManagedStreams implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagedStreams.class);
    /**
     * How soon metrics Kafka adds while running (a partition's records-lag once it is assigned) are
     * published: Micrometer's default would take a minute.
     */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(10);
    static final int FENCINGS_LIMIT = 3;
    static final Duration FENCINGS_WINDOW = Duration.ofMinutes(10);

    private final Topology topology;
    private final StreamsProperties settings;
    private final Properties config;
    private final Collection<TopicSpec> topics;
    private volatile KafkaStreams streams;
    private AutoCloseable metrics;
    private ScheduledExecutorService metricsRefresh;
    private final Deque<Instant> fencings = new ArrayDeque<>();
    private volatile KafkaStreams fenced;

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
        launch();
    }

    private void launch() {
        KafkaStreams created = new KafkaStreams(topology, config);
        created.setUncaughtExceptionHandler(failure -> onThreadFailure(created, failure));
        created.setStateListener((next, previous) -> {
            log.info("streams state application={} from={} to={}", settings.applicationId(), previous, next);
            if (next == KafkaStreams.State.ERROR && restartWanted(created)) {
                // Not on the client's own threads: closing it waits for them.
                Thread.ofVirtual().name("kafka-streams-restart").start(() -> restart(created));
            }
        });
        // Kafka's own client and Streams metrics (consumer lag per input partition among them), beside the job metrics.
        metricsRefresh = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("kafka-streams-metrics").factory());
        metrics = StreamsMeters.bindTo(Metrics.globalRegistry, created, metricsRefresh, METRICS_REFRESH);
        created.start();
        streams = created;
    }

    private StreamThreadExceptionResponse onThreadFailure(KafkaStreams client, Throwable failure) {
        if (fencedBy(failure)) {
            log.error("stream thread fenced by its instance id, stopping the client application={} instanceId={}",
                    settings.applicationId(), settings.instanceId(), failure);
            synchronized (fencings) {
                fencings.addLast(Instant.now());
            }
            fenced = client;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("stream thread failed, replacing it application={}", settings.applicationId(), failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static boolean fencedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FencedInstanceIdException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the client that stopped on a fencing should start again: not when fenced again and again. */
    private boolean restartWanted(KafkaStreams failed) {
        synchronized (fencings) {
            Instant since = Instant.now().minus(FENCINGS_WINDOW);
            fencings.removeIf(at -> at.isBefore(since));
            if (failed != fenced || failed != streams) {
                return false;
            }
            if (fencings.size() >= FENCINGS_LIMIT) {
                log.error("fenced {} times within {}: another instance uses instance id {}, not restarting application={}",
                        fencings.size(), FENCINGS_WINDOW, settings.instanceId(), settings.applicationId());
                return false;
            }
            return true;
        }
    }

    private synchronized void restart(KafkaStreams failed) {
        if (streams != failed) {
            return;
        }
        log.info("restarting the streams client application={} instanceId={}", settings.applicationId(), settings.instanceId());
        closeClient(CloseOptions.timeout(settings.closeTimeout()));
        launch();
    }

    private void closeClient(CloseOptions options) {
        streams.close(options);
        try {
            metrics.close();
        } catch (Exception e) {
            log.warn("kafka streams meters not removed application={}", settings.applicationId(), e);
        }
        metricsRefresh.shutdownNow();
    }

    @Override
    public synchronized void stop() {
        if (streams == null) {
            return;
        }
        closeClient(CloseOptions.timeout(settings.closeTimeout())
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
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
