package io.jobstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.RedisExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without an API key the agent answers offline: the calculator's result and the top passages of a
 * real semantic search (bundled MiniLM over pgvector), labelled {@code local-retrieval}. Every chat
 * takes a token from the agent-chat bucket in Redis; this class's bucket holds one token per job
 * of its first tests, so the last test's job finds none.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineAgentIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static final int TOKENS = 3;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> PASSAGES = List.of(
            "Mark Cuban invested 100000 dollars in a gourmet hot sauce company for 20 percent equity.",
            "A bakery chain in Ohio sells gluten free bread and pastries to supermarkets.",
            "The weather in Lisbon is mild in winter and warm in summer.");

    @TempDir
    static Path dataDir;

    static AgentProcessorInstance processor;
    static JobPublisher publisher;
    static AgentJobEvents events;

    @BeforeAll
    static void start() {
        processor = AgentProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.rate-limits.redis-url=" + redis.uri(),
                "--jobstream.rate-limits.buckets.agent-chat.capacity=" + TOKENS,
                "--jobstream.rate-limits.buckets.agent-chat.period=600s");
        publisher = new JobPublisher(kafka.bootstrapServers(), "offline-agent-test", 1);
        events = new AgentJobEvents(kafka.bootstrapServers());
        EmbeddingProvider model = processor.bean(EmbeddingProvider.class);
        List<float[]> vectors = model.embed(PASSAGES);
        processor.bean(EmbeddingRepository.class).upsert(IntStream.range(0, PASSAGES.size())
                .mapToObj(i -> new Embedding("post", "p" + i, model.model(), TextHash.of(PASSAGES.get(i)), vectors.get(i),
                        PASSAGES.get(i)))
                .toList());
        Await.until(AgentJobEvents.WAIT, "the agent processor running", processor::isRunning);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        events.close();
        publisher.close();
        processor.close();
    }

    @Test
    @Order(1)
    void answersWithTheCalculationAndTheTopPassageLabelledLocalRetrieval() {
        JsonNode result = complete("offline-1", "Calculate 100000 / 0.10. Which deals did Mark Cuban make?");

        assertThat(result.path("provider").asString()).isEqualTo("local-retrieval");
        String response = result.path("response").asString();
        assertThat(response).startsWith("Calculation: 100000 / 0.10 = 1000000");
        assertThat(response).contains("no language model configured");
        assertThat(response.lines().filter(line -> line.startsWith("1. ")).findFirst().orElseThrow())
                .contains("[post:p0").contains("hot sauce");
        assertThat(result.path("toolCalls")).extracting(call -> call.path("name").asString())
                .containsExactly("calculator", "search_knowledge");
    }

    @Test
    @Order(2)
    void aFollowUpInTheSameSessionSearchesWithTheEarlierQuestion() {
        complete("offline-session", "Which deals did Mark Cuban make?");
        Await.until(AgentJobEvents.WAIT, "the first answer recorded", () -> events.answers("offline-session").size() == 1);

        JsonNode result = complete("offline-session", "Tell me more about the first one");

        assertThat(result.path("toolCalls").get(0).path("arguments").asString())
                .contains("Which deals did Mark Cuban make? Tell me more about the first one");
        assertThat(result.path("toolCalls").get(0).path("output").asString()).startsWith("1. [post:p0");
    }

    @Test
    @Order(3)
    void aJobFindingNoTokenInTheSharedBucketIsDeferredWithoutUsingAnAttempt() {
        String jobId = submit("offline-limited", "One question too many");

        JobEvent delayed = events.await(jobId, JobState.DELAYED);

        assertThat(delayed.getAttempt()).isEqualTo(1);
        assertThat(delayed.getDueAt()).isAfter(delayed.getTimestamp().plusSeconds(60));
        assertThat(events.states(jobId)).doesNotContain(JobState.RETRY_SCHEDULED, JobState.COMPLETED);
        RateLimiter limiter = processor.bean(RateLimiter.class);
        assertThat(limiter.shared()).isTrue();
        assertThat(limiter.degraded()).isFalse();
    }

    private static JsonNode complete(String sessionId, String message) {
        return JSON.readTree(events.await(submit(sessionId, message), JobState.COMPLETED).getReturnValue());
    }

    private static String submit(String sessionId, String message) {
        String jobId = "offline-" + UUID.randomUUID();
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat", ChatRequested.newBuilder().setJobId(jobId)
                .setSessionId(sessionId).setMessage(message).build()).withKey(sessionId));
        return jobId;
    }
}
