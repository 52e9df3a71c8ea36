package io.jobstream.core.streams;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("jobstream.kafka")
public record StreamsProperties(
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("jobstream") String applicationId,
        @DefaultValue("") String applicationServer,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("1") int standbyReplicas,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("1") int threads,
        @DefaultValue("30s") Duration closeTimeout) {

    public StreamsProperties withApplicationServer(String hostPort) {
        return new StreamsProperties(bootstrapServers, applicationId, hostPort, dataDir, standbyReplicas,
                commitInterval, threads, closeTimeout);
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
                commitInterval, threads, closeTimeout);
    }
}
