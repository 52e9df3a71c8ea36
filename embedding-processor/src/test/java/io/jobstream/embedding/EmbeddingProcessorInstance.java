package io.jobstream.embedding;

import java.net.URI;
import java.nio.file.Path;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;

/** One embedding-processor in this JVM against the test's broker and database. */
final class EmbeddingProcessorInstance implements AutoCloseable {

    private final int port;
    private final ConfigurableApplicationContext context;

    private EmbeddingProcessorInstance(int port, ConfigurableApplicationContext context) {
        this.port = port;
        this.context = context;
    }

    static EmbeddingProcessorInstance start(KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                            String... extraArguments) {
        int port = FreePorts.next();
        String[] arguments = ServiceArguments.processor(port, kafka, postgres, dataDir, extraArguments);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EmbeddingProcessorApplication.class)
                .run(arguments);
        return new EmbeddingProcessorInstance(port, context);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
