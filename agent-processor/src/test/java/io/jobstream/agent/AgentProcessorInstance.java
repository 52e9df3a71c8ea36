package io.jobstream.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.control.QueueControl;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.ControlCommand;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.topics.TopicCatalog;

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

    KafkaStreams streams() {
        return context.getBean(ManagedStreams.class).streams();
    }

    boolean isRunning() {
        return streams().state() == KafkaStreams.State.RUNNING;
    }

    /** Whether this instance's copy of the global queue-control store has the queue paused. */
    boolean seesPaused(String queue) {
        try {
            return new QueueControl(streams().store(StoreQueryParameters.fromNameAndType(QueueControl.STORE,
                    QueryableStoreTypes.<String, ControlCommand>keyValueStore()))).isPaused(queue);
        } catch (InvalidStateStoreException rebalancing) {
            return false;
        }
    }

    /** Whether this instance runs tasks of the chat queue's requests. */
    boolean ownsChatPartitions() {
        return streams().metadataForLocalThreads().stream().flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .anyMatch(partition -> partition.topic().equals(TopicCatalog.AGENT_CHAT.requests()));
    }

    @Override
    public void close() {
        context.close();
    }
}
