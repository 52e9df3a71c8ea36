package io.jobstream.dispatch;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Jobs that call out to other systems: reminders sent at their time, scraper runs. */
@SpringBootApplication
public class DispatchProcessorApplication {

    /**
     * Its configuration is {@code dispatch-processor.yml}, not {@code application.yml}: the processor
     * also runs beside ingest-service in one JVM (end-to-end tests), where that name is taken.
     */
    public static SpringApplicationBuilder builder(Class<?>... extraSources) {
        return new SpringApplicationBuilder(DispatchProcessorApplication.class)
                .sources(extraSources)
                .properties("spring.config.name=dispatch-processor");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
