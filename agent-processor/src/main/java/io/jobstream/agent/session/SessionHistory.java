package io.jobstream.agent.session;

import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobstream.ai.chat.ChatTurn;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.events.ChatSession;

/**
 * A session's history, read from the session store by the job's own thread through Kafka Streams'
 * thread-safe read-only view. The store shares a task with the chat requests of the same partition
 * (see AgentTopology), so the session of a job being processed here is always local.
 */
public final class SessionHistory {

    public static final String STORE = "agent-sessions";

    private final Supplier<KafkaStreams> streams;

    public SessionHistory(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    public List<ChatTurn> of(String sessionId) {
        ChatSession session;
        try {
            ReadOnlyKeyValueStore<String, ChatSession> store = streams.get().store(
                    StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.<String, ChatSession>keyValueStore()));
            session = store.get(sessionId);
        } catch (InvalidStateStoreException rebalancing) {
            throw new TransientJobException("session store not queryable (rebalancing): " + rebalancing.getMessage());
        }
        return session == null ? List.of()
                : session.getTurns().stream().map(turn -> new ChatTurn(turn.getRole(), turn.getContent())).toList();
    }
}
