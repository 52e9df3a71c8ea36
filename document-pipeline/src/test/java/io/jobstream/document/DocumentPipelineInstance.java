package io.jobstream.document;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;

/** One document-pipeline in this JVM against the test's broker and database. */
public final class DocumentPipelineInstance implements AutoCloseable {

    private final int port;
    private final ConfigurableApplicationContext context;

    private DocumentPipelineInstance(int port, ConfigurableApplicationContext context) {
        this.port = port;
        this.context = context;
    }

    /** @param sources extra configuration classes, e.g. a fault injected into a step */
    public static DocumentPipelineInstance start(KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                          List<Class<?>> sources, String... extraArguments) {
        int port = FreePorts.next();
        String[] arguments = ServiceArguments.processor(port, kafka, postgres, dataDir, extraArguments);
        ConfigurableApplicationContext context = DocumentPipelineApplication.builder(sources.toArray(Class<?>[]::new))
                .run(arguments);
        return new DocumentPipelineInstance(port, context);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
