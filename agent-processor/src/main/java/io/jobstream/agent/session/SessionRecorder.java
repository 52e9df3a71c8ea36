package io.jobstream.agent.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.jobstream.events.ChatCompleted;
import io.jobstream.events.ChatSession;
import io.jobstream.events.ChatSessionTurn;

/**
 * Appends each answered message (the user's turn and the assistant's) to its session's history in
 * the session store, keeping the newest {@code maxTurns} turns. Runs on the stream thread, fed by
 * agent.chat.responses, which is keyed by session id like the requests.
 */
public final class SessionRecorder implements Processor<String, ChatCompleted, Void, Void> {

    private final String storeName;
    private final int maxTurns;
    private KeyValueStore<String, ChatSession> sessions;

    public SessionRecorder(String storeName, int maxTurns) {
        this.storeName = storeName;
        this.maxTurns = maxTurns;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.sessions = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ChatCompleted> record) {
        ChatCompleted answer = record.value();
        if (answer == null || answer.getMessage() == null) {
            return;
        }
        ChatSession current = sessions.get(answer.getSessionId());
        List<ChatSessionTurn> turns = new ArrayList<>(current == null ? List.of() : current.getTurns());
        turns.add(new ChatSessionTurn("user", answer.getMessage()));
        turns.add(new ChatSessionTurn("assistant", answer.getResponse()));
        List<ChatSessionTurn> kept = turns.subList(Math.max(0, turns.size() - maxTurns), turns.size());
        sessions.put(answer.getSessionId(), ChatSession.newBuilder()
                .setSessionId(answer.getSessionId())
                .setTurns(new ArrayList<>(kept))
                .setUpdatedAt(Instant.ofEpochMilli(record.timestamp()))
                .build());
    }
}
