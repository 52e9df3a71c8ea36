package io.jobstream.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.jobstream.ingest.admin.RetentionProperties;
import io.jobstream.ingest.embedding.EmbeddingStatsProperties;
import io.jobstream.ingest.content.WebhookProperties;
import io.jobstream.ingest.query.QueryProperties;
import io.jobstream.ingest.queue.JobsProperties;
import io.jobstream.ingest.submit.PublisherProperties;

/** REST and webhook ingestion onto the job queues, and the job-status query API over the job-status store. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({QueryProperties.class, PublisherProperties.class,
        WebhookProperties.class, EmbeddingStatsProperties.class, RetentionProperties.class, JobsProperties.class})
public class IngestApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestApplication.class, args);
    }
}
