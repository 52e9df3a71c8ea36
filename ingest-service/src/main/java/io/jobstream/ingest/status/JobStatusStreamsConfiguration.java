package io.jobstream.ingest.status;

import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ingest service's Kafka Streams application: the job-status and job-counts stores. pipeline-core
 * runs it (topics, jobstream's Streams defaults, application.server, health).
 */
@Configuration(proxyBeanMethods = false)
public class JobStatusStreamsConfiguration {

    @Bean
    public Topology jobStatusTopology() {
        return new JobStatusTopology().build();
    }
}
