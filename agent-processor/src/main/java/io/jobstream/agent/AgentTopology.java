package io.jobstream.agent;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.agent.chat.ChatJobHandler;
import io.jobstream.agent.chat.ChatResults;
import io.jobstream.agent.session.SessionHistory;
import io.jobstream.agent.session.SessionRecorder;
import io.jobstream.avro.AvroSerde;
import io.jobstream.core.queue.JobPayloads;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.flow.FlowTracker;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.ChatCompleted;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.ChatSession;
import io.jobstream.topics.TopicCatalog;

/**
 * The agent processor:
 *
 * <pre>
 *   agent.chat.requests (key: session id)
 *     ─► QueueWorker(ChatJobHandler: session history, LLM + tools; concurrency per instance, one session in order)
 *          ├─► agent.chat.responses (ChatCompleted, key: session id)
 *          ├─► jobs.events          (QUEUED … PROGRESS … COMPLETED, result {response, sessionId, processingTime, …})
 *          └─► agent.chat.requests.retry / .dlq
 *
 *   agent.chat.responses ─► session store (the conversation per session id, read by the handler)
 *
 *   jobs.events ─► batch flows of the agent.chat queue (parent progress, results in order, failure naming the child)
 * </pre>
 *
 * The session store is connected to the worker's step too: that puts both in one sub-topology, so a
 * session's history lives in the same task (and instance) as its requests.
 */
public final class AgentTopology {

    private final ChatJobHandler handler;
    private final QueueProperties.Queue queue;
    private final int historyTurns;

    public AgentTopology(ChatJobHandler handler, QueueProperties.Queue queue, int historyTurns) {
        this.handler = handler;
        this.queue = queue;
        this.historyTurns = historyTurns;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SessionHistory.STORE),
                Serdes.String(), AvroSerde.of(ChatSession.class)));
        builder.stream(TopicCatalog.CHAT_RESPONSES, Consumed.with(Serdes.String(), AvroSerde.of(ChatCompleted.class))
                        .withName("agent-sessions-responses"))
                .process(() -> new SessionRecorder(SessionHistory.STORE, historyTurns), Named.as("agent-sessions"),
                        SessionHistory.STORE);

        FlowTracker.forQueue(TopicCatalog.AGENT_CHAT).addTo(builder);

        QueueWorker<ChatRequested, ChatCompleted, ChatCompleted> worker = QueueWorker
                .forQueue(TopicCatalog.AGENT_CHAT, JobPayloads.avro(ChatRequested.class), handler)
                .concurrency(queue.asyncStep())
                .retry(queue.retry().policy())
                .output(TopicCatalog.CHAT_RESPONSES, AvroSerde.of(ChatCompleted.class).serializer(),
                        (job, request, answer) -> KeyValue.pair(request.getSessionId(), answer))
                .returnValue(ChatResults::returnValue)
                .build();
        Topology topology = worker.addTo(builder.build());
        topology.connectProcessorAndStateStores(TopicCatalog.AGENT_CHAT.queue() + "-step", SessionHistory.STORE);
        return topology;
    }
}
