package io.jobstream.embedding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Embedding jobs: posts, products, profiles and document chunks to vectors in pgvector. */
@SpringBootApplication
public class EmbeddingProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmbeddingProcessorApplication.class, args);
    }
}
