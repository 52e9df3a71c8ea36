package io.jobstream.ingest.submit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.streams.StreamsProperties;

/** The one {@link JobPublisher} every enqueueing route shares. */
@Configuration(proxyBeanMethods = false)
public class JobPublisherConfiguration {

    /**
     * Closed when the context closes, which is after the web server's graceful shutdown has let
     * requests in flight finish their transactions.
     */
    @Bean(destroyMethod = "close")
    public JobPublisher jobPublisher(StreamsProperties kafka, PublisherProperties publisher) {
        return new JobPublisher(kafka.bootstrapServers(), kafka.applicationId() + "-jobs", publisher.poolSize());
    }
}
