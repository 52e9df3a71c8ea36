package io.jobstream.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.ingest.query.QueryProperties;

/** REST ingestion and the job-status query API, backed by the job-status Kafka Streams store. */
@SpringBootApplication
@EnableConfigurationProperties({StreamsProperties.class, QueryProperties.class})
public class IngestApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestApplication.class, args);
    }
}
