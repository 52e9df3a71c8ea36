package io.jobstream.agent;

import java.nio.file.Path;

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
import io.jobstream.test.ServiceArguments;
import io.jobstream.topics.TopicCatalog;

/** One agent-processor in this JVM against the test's broker and database. */
final class AgentProcessorInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private AgentProcessorInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static AgentProcessorInstance start(KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                        String... extraArguments) {
        String[] arguments = ServiceArguments.processor(FreePorts.next(), kafka, postgres, dataDir, extraArguments);
        return new AgentProcessorInstance(new SpringApplicationBuilder(AgentProcessorApplication.class)
                .run(arguments));
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
