package io.jobstream.ingest.status;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.topics.TopicCatalog;

/** The ingest service's Kafka Streams application: the job-status and job-counts stores. */
@Configuration(proxyBeanMethods = false)
public class JobStatusStreamsConfiguration {

    @Bean
    public ManagedStreams jobStatusStreams(StreamsProperties properties, @Value("${server.port:8080}") int serverPort) {
        return new ManagedStreams(new JobStatusTopology().build(), withApplicationServer(properties, serverPort),
                TopicCatalog.all());
    }

    @Bean
    public JobStatusStreamsHealthIndicator jobStatusStreamsHealthIndicator(ManagedStreams jobStatusStreams) {
        return new JobStatusStreamsHealthIndicator(jobStatusStreams);
    }

    /** Peers forward queries to application.server, so it must name a port this instance listens on. */
    static StreamsProperties withApplicationServer(StreamsProperties properties, int serverPort) {
        if (!properties.applicationServer().isBlank()) {
            return properties;
        }
        if (serverPort <= 0) {
            throw new IllegalStateException("server.port=" + serverPort + " is not a fixed port: set "
                    + "jobstream.kafka.application-server to the host:port peers can reach this instance on");
        }
        return properties.withApplicationServer("localhost:" + serverPort);
    }
}
