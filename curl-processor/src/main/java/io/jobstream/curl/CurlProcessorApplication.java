package io.jobstream.curl;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Seed 003's workers: screenshots → curl documentation → API resources → their embeddings. */
@SpringBootApplication
public class CurlProcessorApplication {

    /**
     * Its configuration is {@code curl-processor.yml}, not {@code application.yml}: the processor
     * also runs beside ingest-service in one JVM (end-to-end tests), where that name is taken.
     */
    public static SpringApplicationBuilder builder(Class<?>... extraSources) {
        return new SpringApplicationBuilder(CurlProcessorApplication.class)
                .sources(extraSources)
                .properties("spring.config.name=curl-processor");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
