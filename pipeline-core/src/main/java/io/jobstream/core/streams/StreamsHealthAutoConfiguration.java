package io.jobstream.core.streams;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code streams} health contributor, where actuator is present. */
@AutoConfiguration(after = PipelineAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public class StreamsHealthAutoConfiguration {

    @Bean
    @ConditionalOnBean(ManagedStreams.class)
    @ConditionalOnMissingBean(name = "streamsHealthIndicator")
    public StreamsHealthIndicator streamsHealthIndicator(ManagedStreams streams) {
        return new StreamsHealthIndicator(streams);
    }
}
