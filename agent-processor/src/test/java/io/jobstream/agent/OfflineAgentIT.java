package io.jobstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobState;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without an API key the agent answers offline: the calculator's result and the top passages of a
 * real semantic search (bundled MiniLM over pgvector), labelled {@code local-retrieval}.
 */
class OfflineAgentIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

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
        processor = AgentProcessorInstance.start(kafka, postgres, dataDir);
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
    void aFollowUpInTheSameSessionSearchesWithTheEarlierQuestion() {
        complete("offline-session", "Which deals did Mark Cuban make?");
        Await.until(AgentJobEvents.WAIT, "the first answer recorded", () -> events.answers("offline-session").size() == 1);

        JsonNode result = complete("offline-session", "Tell me more about the first one");

        assertThat(result.path("toolCalls").get(0).path("arguments").asString())
                .contains("Which deals did Mark Cuban make? Tell me more about the first one");
        assertThat(result.path("toolCalls").get(0).path("output").asString()).startsWith("1. [post:p0");
    }

    private static JsonNode complete(String sessionId, String message) {
        String jobId = "offline-" + UUID.randomUUID();
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat", ChatRequested.newBuilder().setJobId(jobId)
                .setSessionId(sessionId).setMessage(message).build()).withKey(sessionId));
        return JSON.readTree(events.await(jobId, JobState.COMPLETED).getReturnValue());
    }
}
