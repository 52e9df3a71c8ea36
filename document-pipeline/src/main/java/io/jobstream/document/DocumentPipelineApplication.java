package io.jobstream.document;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.jobstream.core.streams.StreamsProperties;

/** Document jobs: extraction, classification, entity recognition and ingestion as stream steps. */
@SpringBootApplication
@EnableConfigurationProperties(StreamsProperties.class)
public class DocumentPipelineApplication {

    public static void main(String[] args) {
        SpringApplication.run(DocumentPipelineApplication.class, args);
    }
}
