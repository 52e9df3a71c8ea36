package io.jobstream.ingest.status;

import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.scheduler.JobSchedulerTopology;

/**
 * The ingest service's Kafka Streams application: the job-status and job-counts stores, and the job
 * schedulers (which fire their ticks onto any declared queue). pipeline-core
 * runs it (topics, jobstream's Streams defaults, application.server, health).
 */
@Configuration(proxyBeanMethods = false)
public class JobStatusStreamsConfiguration {

    @Bean
    public Topology jobStatusTopology(QueueProperties queues) {
        return new JobSchedulerTopology(queues).addTo(new JobStatusTopology().build());
    }
}
