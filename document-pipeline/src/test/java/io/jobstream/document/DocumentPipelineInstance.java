package io.jobstream.document;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;

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
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--jobstream.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--jobstream.kafka.data-dir=" + dataDir,
                "--jobstream.kafka.standby-replicas=0",
                "--jobstream.kafka.commit-interval=100ms",
                "--jobstream.kafka.close-timeout=10s"));
        arguments.addAll(List.of(extraArguments));
        ConfigurableApplicationContext context = DocumentPipelineApplication.builder(sources.toArray(Class<?>[]::new))
                .run(arguments.toArray(String[]::new));
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
