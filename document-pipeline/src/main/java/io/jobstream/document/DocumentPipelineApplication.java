package io.jobstream.document;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Document jobs: extraction, classification, entity recognition and ingestion as stream steps. */
@SpringBootApplication
public class DocumentPipelineApplication {

    public static void main(String[] args) {
        SpringApplication.run(DocumentPipelineApplication.class, args);
    }
}
