package io.jobstream.core.streams;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a service's Kafka Streams application connects and keeps its state.
 *
 * @param bootstrapServers   Kafka brokers
 * @param applicationId      consumer group and prefix of internal topics; one per service
 * @param applicationServer  this instance's host:port for interactive queries (empty: not queryable)
 * @param dataDir            the service's data directory; state stores live in {@code dataDir/streams}
 * @param standbyReplicas    warm copies of each store on other instances (answer queries during rebalances)
 * @param commitInterval     how often offsets, store changes and outputs commit (one transaction)
 * @param threads            stream threads per instance
 * @param closeTimeout       how long a graceful shutdown may take
 * @param instanceId         a stable name of this instance (static group membership): restarted with the same
 *                           name before its session times out, it gets its tasks back without a rebalance;
 *                           blank: dynamic membership
 * @param sessionTimeout     how long the group waits for a silent instance before handing its tasks to the
 *                           others: the failover time after a crash
 * @param caughtUpCommitInterval while a worker is caught up with its queue, its outcomes commit (become visible)
 *                           at most this long after they are forwarded instead of at the commit interval; 0: off
 *                           ({@link CaughtUpCommits})
 */
@ConfigurationProperties("jobstream.kafka")
public record StreamsProperties(
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("jobstream") String applicationId,
        @DefaultValue("") String applicationServer,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("1") int standbyReplicas,
        @DefaultValue(COMMIT_INTERVAL) Duration commitInterval,
        @DefaultValue("1") int threads,
        @DefaultValue("30s") Duration closeTimeout,
        @DefaultValue("") String instanceId,
        @DefaultValue(SESSION_TIMEOUT) Duration sessionTimeout,
        @DefaultValue(CAUGHT_UP_COMMIT_INTERVAL) Duration caughtUpCommitInterval) {

    /** A job's outputs and events become visible to read_committed readers at the next commit. */
    static final String COMMIT_INTERVAL = "100ms";
    public static final Duration DEFAULT_COMMIT_INTERVAL = DurationStyle.detectAndParse(COMMIT_INTERVAL);

    /**
     * Kafka's default. 10 s was tried: on a loaded 2-core machine heartbeats then expired and healthy
     * instances were fenced mid-test. A restarted instance with an {@code instanceId} does not wait for it.
     */
    static final String SESSION_TIMEOUT = "45s";

    /**
     * At 20 ms, p99 submit → completed at 1,000 jobs/s fell from 113-118 ms to 40-52 ms on the queue
     * benchmark, with throughput within the runs' spread (a worker that is behind commits at the interval).
     */
    static final String CAUGHT_UP_COMMIT_INTERVAL = "20ms";

    @ConstructorBinding
    public StreamsProperties {
    }

    /** Dynamic membership with the default session timeout: what tests that start a worker in-process need. */
    public StreamsProperties(String bootstrapServers, String applicationId, String applicationServer, Path dataDir,
                             int standbyReplicas, Duration commitInterval, int threads, Duration closeTimeout) {
        this(bootstrapServers, applicationId, applicationServer, dataDir, standbyReplicas, commitInterval, threads,
                closeTimeout, "", DurationStyle.detectAndParse(SESSION_TIMEOUT));
    }

    /** Static membership and its session timeout, with the default caught-up commit interval. */
    public StreamsProperties(String bootstrapServers, String applicationId, String applicationServer, Path dataDir,
                             int standbyReplicas, Duration commitInterval, int threads, Duration closeTimeout,
                             String instanceId, Duration sessionTimeout) {
        this(bootstrapServers, applicationId, applicationServer, dataDir, standbyReplicas, commitInterval, threads,
                closeTimeout, instanceId, sessionTimeout, DurationStyle.detectAndParse(CAUGHT_UP_COMMIT_INTERVAL));
    }

    public StreamsProperties withCaughtUpCommitInterval(Duration interval) {
        return new StreamsProperties(bootstrapServers, applicationId, applicationServer, dataDir, standbyReplicas,
                commitInterval, threads, closeTimeout, instanceId, sessionTimeout, interval);
    }

    public StreamsProperties withApplicationServer(String hostPort) {
        return new StreamsProperties(bootstrapServers, applicationId, hostPort, dataDir, standbyReplicas,
                commitInterval, threads, closeTimeout, instanceId, sessionTimeout, caughtUpCommitInterval);
    }

    /**
     * Peers forward interactive queries to application.server, so it must name a port this
     * instance listens on; blank means {@code localhost:<server port>}.
     */
    public StreamsProperties withDefaultApplicationServer(int serverPort) {
        if (!applicationServer.isBlank()) {
            return this;
        }
        if (serverPort <= 0) {
            throw new IllegalStateException("server.port=" + serverPort + " is not a fixed port: set "
                    + "jobstream.kafka.application-server to the host:port peers can reach this instance on");
        }
        return withApplicationServer("localhost:" + serverPort);
    }

    public StreamsProperties withDataDir(Path dir) {
        return new StreamsProperties(bootstrapServers, applicationId, applicationServer, dir, standbyReplicas,
                commitInterval, threads, closeTimeout, instanceId, sessionTimeout, caughtUpCommitInterval);
    }
}
