package io.jobstream.embedding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.jobstream.core.streams.StreamsProperties;

/** Embedding jobs: posts, products, profiles and document chunks to vectors in pgvector. */
@SpringBootApplication
@EnableConfigurationProperties(StreamsProperties.class)
public class EmbeddingProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmbeddingProcessorApplication.class, args);
    }
}
