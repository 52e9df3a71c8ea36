package io.jobstream.catalog;

import java.nio.file.Path;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;

/** One catalog-processor in this JVM against the test's broker and database. */
public final class CatalogProcessorInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private CatalogProcessorInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static CatalogProcessorInstance start(KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                          String... extraArguments) {
        String[] arguments = ServiceArguments.processor(FreePorts.next(), kafka, postgres, dataDir, extraArguments);
        return new CatalogProcessorInstance(new SpringApplicationBuilder(CatalogProcessorApplication.class).run(arguments));
    }

    @Override
    public void close() {
        context.close();
    }
}
