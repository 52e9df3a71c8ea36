package io.jobstream.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;

/** One agent-processor in this JVM against the test's broker and database. */
final class AgentProcessorInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private AgentProcessorInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static AgentProcessorInstance start(KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                        String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + FreePorts.next(),
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
        return new AgentProcessorInstance(new SpringApplicationBuilder(AgentProcessorApplication.class)
                .run(arguments.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    boolean isRunning() {
        return context.getBean(ManagedStreams.class).streams().state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        context.close();
    }
}
