package io.jobstream.core.streams;

import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.topics.TopicCatalog;

/**
 * A processor service declares its {@link Topology} as a bean; this runs it: topics from the
 * catalog, Kafka Streams with jobstream's defaults, graceful close on shutdown.
 */
@AutoConfiguration
@EnableConfigurationProperties({StreamsProperties.class, QueueProperties.class})
public class PipelineAutoConfiguration {

    @Bean
    @ConditionalOnBean(Topology.class)
    @ConditionalOnMissingBean(ManagedStreams.class)
    public ManagedStreams managedStreams(Topology topology, StreamsProperties properties, QueueProperties queues,
                                         @Value("${server.port:8080}") int serverPort) {
        return new ManagedStreams(topology, properties.withDefaultApplicationServer(serverPort), TopicCatalog.all(queues.topics()));
    }
}
