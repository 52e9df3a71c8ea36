package io.jobstream.document;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Document jobs: extraction, classification, entity recognition and ingestion as stream steps. */
@SpringBootApplication
public class DocumentPipelineApplication {

    /**
     * Its configuration is {@code document-pipeline.yml}, not {@code application.yml}: the pipeline
     * also runs beside ingest-service in one JVM (end-to-end tests), where that name is taken.
     */
    public static SpringApplicationBuilder builder(Class<?>... extraSources) {
        return new SpringApplicationBuilder(DocumentPipelineApplication.class)
                .sources(extraSources)
                .properties("spring.config.name=document-pipeline");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
