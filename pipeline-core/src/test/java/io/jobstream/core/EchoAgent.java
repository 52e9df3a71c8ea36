package io.jobstream.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.job.JobIntakeTopology;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.ChatRequested;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicSpec;

/**
 * The test-only processor: a worker on the agent chat queue whose handler each test scripts,
 * publishing the handler's answer as a string on the chat responses topic.
 */
final class EchoAgent {

    static final String APPLICATION_ID = "echo-agent";

    private EchoAgent() {
    }

    static ManagedStreams start(String bootstrapServers, Path dataDir, JobHandler<ChatRequested, String> handler,
                                AsyncStepSettings concurrency, RetryPolicy retry) {
        Topology topology = workerTopology(handler, concurrency, retry);
        StreamsProperties settings = new StreamsProperties(bootstrapServers, APPLICATION_ID, "", dataDir, 0,
                Duration.ofMillis(100), 1, Duration.ofSeconds(10));
        List<TopicSpec> topics = new ArrayList<>(TopicCatalog.sharedTopics());
        topics.addAll(TopicCatalog.AGENT_CHAT.specs());
        ManagedStreams streams = new ManagedStreams(topology, settings, topics);
        streams.start();
        return streams;
    }

    /** What writes single adds' QUEUED events in a deployment (ingest-service runs it): its own application. */
    static ManagedStreams startIntake(String bootstrapServers, Path dataDir) {
        Topology topology = new JobIntakeTopology(List.of(TopicCatalog.AGENT_CHAT)).addTo(new Topology());
        StreamsProperties settings = new StreamsProperties(bootstrapServers, APPLICATION_ID + "-intake", "", dataDir, 0,
                Duration.ofMillis(100), 1, Duration.ofSeconds(10));
        List<TopicSpec> topics = new ArrayList<>(TopicCatalog.sharedTopics());
        topics.addAll(TopicCatalog.AGENT_CHAT.specs());
        ManagedStreams streams = new ManagedStreams(topology, settings, topics);
        streams.start();
        return streams;
    }

    private static Topology workerTopology(JobHandler<ChatRequested, String> handler, AsyncStepSettings concurrency,
                                         RetryPolicy retry) {
        return QueueWorker
                .forQueue(TopicCatalog.AGENT_CHAT, AvroSerde.of(ChatRequested.class), handler)
                .concurrency(concurrency)
                .retry(retry)
                .output(TopicCatalog.CHAT_RESPONSES, new StringSerializer(),
                        (job, request, answer) -> KeyValue.pair(job.jobId(), answer))
                .build()
                .addTo(new Topology());
    }

    static ChatRequested message(String jobId, String sessionId, String text) {
        return ChatRequested.newBuilder().setJobId(jobId).setSessionId(sessionId).setMessage(text).build();
    }
}
