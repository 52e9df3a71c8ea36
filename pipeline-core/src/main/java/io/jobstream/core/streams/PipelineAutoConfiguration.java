package io.jobstream.core.streams;

import java.util.List;

import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.queue.JobWorker;
import io.jobstream.core.ratelimit.RateLimitProperties;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.topics.TopicCatalog;

/**
 * A processor service declares its {@link Topology} as a bean, or {@link JobWorker} beans, or
 * both; this runs them as one Kafka Streams application: topics of every declared queue from the
 * catalog, jobstream's Streams defaults, graceful close on shutdown.
 */
@AutoConfiguration
@EnableConfigurationProperties({StreamsProperties.class, QueueProperties.class, RateLimitProperties.class})
public class PipelineAutoConfiguration {

    /** A service with workers but no topology of its own. */
    @Bean
    @ConditionalOnBean(JobWorker.class)
    @ConditionalOnMissingBean(Topology.class)
    public Topology jobWorkersTopology() {
        return new Topology();
    }

    /** Buckets for workers whose queue names one, unless the service has its own limiter. */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(JobWorker.class)
    @ConditionalOnMissingBean(RateLimiter.class)
    public RateLimiter jobWorkersRateLimiter(RateLimitProperties properties) {
        return new RateLimiter(properties);
    }

    @Bean
    @ConditionalOnBean(Topology.class)
    @ConditionalOnMissingBean(ManagedStreams.class)
    public ManagedStreams managedStreams(Topology topology, List<JobWorker<?>> workers, ObjectProvider<RateLimiter> limiter,
                                         StreamsProperties properties, QueueProperties queues,
                                         @Value("${server.port:8080}") int serverPort) {
        for (JobWorker<?> worker : workers) {
            QueueProperties.Queue settings = queues.declared(worker.queue()).orElseThrow(() -> new IllegalStateException(
                    "a JobWorker handles queue '" + worker.queue() + "', which is not declared: add jobstream.queues."
                            + worker.queue() + ".partitions (or any other setting) to the configuration"));
            worker.addTo(topology, settings, limiter.getIfAvailable());
        }
        return new ManagedStreams(topology, properties.withDefaultApplicationServer(serverPort), TopicCatalog.all(queues.topics()));
    }
}
