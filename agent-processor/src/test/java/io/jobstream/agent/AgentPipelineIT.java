package io.jobstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.flow.FlowIds;
import io.jobstream.core.flow.Flows;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.ChatCompleted;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent chat pipeline against a real broker and PostgreSQL + pgvector, with an OpenAI-compatible
 * fake at the HTTP level: tool calls, session history, batch flows, timeouts, 429 and 500.
 */
class AgentPipelineIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static FakeOpenAiServer openAi;
    static AgentProcessorInstance processor;
    static JobPublisher publisher;
    static AgentJobEvents events;

    @BeforeAll
    static void start() {
        openAi = new FakeOpenAiServer(8, true);
        processor = AgentProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.chat.openai.api-key=test-key",
                "--jobstream.chat.openai.base-url=" + openAi.baseUrl(),
                "--jobstream.queues.[agent.chat].timeout=3s",
                "--jobstream.queues.[agent.chat].retry.base-delay=200ms");
        publisher = new JobPublisher(kafka.bootstrapServers(), "agent-pipeline-test", 2);
        events = new AgentJobEvents(kafka.bootstrapServers());
        Await.until(AgentJobEvents.WAIT, "the agent processor running", processor::isRunning);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        events.close();
        publisher.close();
        processor.close();
        openAi.close();
    }

    @Test
    void aCalculatorToolCallIsRunAndItsOutputSentBackToTheModel() {
        openAi.replyWhenAsked("valuation of 100000 for 10%", Reply.toolCall("call_calc", "calculator",
                "{\"expression\": \"100000 / 0.10\"}"));
        String jobId = chat("session-calc", "What is the valuation of 100000 for 10%?");
        // The second model call carries the tool result; it is answered by the queued reply.
        openAi.enqueueChat(Reply.answer("The company is valued at 1,000,000."));

        JobEvent completed = events.await(jobId, JobState.COMPLETED);

        JsonNode result = JSON.readTree(completed.getReturnValue());
        assertThat(result.path("response").asString()).isEqualTo("The company is valued at 1,000,000.");
        assertThat(result.path("sessionId").asString()).isEqualTo("session-calc");
        assertThat(result.path("provider").asString()).isEqualTo("openai");
        assertThat(result.path("processingTime").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(result.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(result.path("toolCalls").get(0).path("name").asString()).isEqualTo("calculator");
        assertThat(result.path("toolCalls").get(0).path("output").asString()).isEqualTo("1000000");
        JsonNode followUp = chatRequestsContaining("valuation of 100000").getLast();
        JsonNode toolMessage = followUp.path("messages").get(followUp.path("messages").size() - 1);
        assertThat(toolMessage.path("role").asString()).isEqualTo("tool");
        assertThat(toolMessage.path("tool_call_id").asString()).isEqualTo("call_calc");
        assertThat(toolMessage.path("content").asString()).isEqualTo("1000000");
        assertThat(followUp.path("tools").toString()).contains("search_knowledge", "calculator");
        assertThat(events.answers("session-calc")).extracting(ChatCompleted::getResponse)
                .containsExactly("The company is valued at 1,000,000.");
    }

    @Test
    void knowledgeSearchFindsTheRelevantPassageInPgvector() {
        EmbeddingProvider model = processor.bean(EmbeddingProvider.class);
        List<String> passages = List.of(
                "Mark Cuban invested 100000 dollars in a gourmet hot sauce company for 20 percent equity.",
                "A food delivery startup sells frozen dumplings to grocery stores in the Midwest.",
                "The weather in Lisbon is mild in winter and warm in summer.");
        List<float[]> vectors = model.embed(passages);
        processor.bean(EmbeddingRepository.class).upsert(IntStream.range(0, passages.size())
                .mapToObj(i -> new Embedding("post", "kb-" + i, model.model(), TextHash.of(passages.get(i)), vectors.get(i),
                        passages.get(i)))
                .toList());
        openAi.replyWhenAsked("Which deals did Mark Cuban make", Reply.toolCall("call_search", "search_knowledge",
                "{\"query\": \"Mark Cuban investment deal\", \"k\": 2}"));
        String jobId = chat("session-search", "Which deals did Mark Cuban make?");
        openAi.enqueueChat(Reply.answer("He invested in a hot sauce company."));

        JsonNode result = JSON.readTree(events.await(jobId, JobState.COMPLETED).getReturnValue());

        String output = result.path("toolCalls").get(0).path("output").asString();
        assertThat(output).startsWith("1. [post:kb-0");
        assertThat(output.lines()).hasSize(2);
        assertThat(result.path("response").asString()).isEqualTo("He invested in a hot sauce company.");
    }

    @Test
    void aSessionsHistoryIsUsedWhenTheClientSendsNone() {
        String first = chat("session-history", "What deals did Mark Cuban make?");
        events.await(first, JobState.COMPLETED);
        Await.until(AgentJobEvents.WAIT, "the first answer on agent.chat.responses",
                () -> events.answers("session-history").size() == 1);

        String second = chat("session-history", "Tell me more about the first one");
        JsonNode result = JSON.readTree(events.await(second, JobState.COMPLETED).getReturnValue());

        // system, user, assistant, then the new user message: the model saw the first exchange.
        assertThat(result.path("response").asString())
                .isEqualTo(FakeOpenAiServer.echo("Tell me more about the first one", 3));
        JsonNode messages = chatRequestsContaining("Tell me more about the first one").getLast().path("messages");
        assertThat(messages.get(1).path("content").asString()).isEqualTo("What deals did Mark Cuban make?");
        assertThat(messages.get(2).path("content").asString())
                .isEqualTo(FakeOpenAiServer.echo("What deals did Mark Cuban make?", 1));
    }

    @Test
    void historySentByTheClientWinsOverTheSession() {
        String jobId = submit(ChatRequested.newBuilder().setJobId("chat-" + UUID.randomUUID()).setSessionId("session-client")
                .setMessage("And the second one?")
                .setHistory(List.of(new io.jobstream.events.ChatMessage("user", "List two sharks"),
                        new io.jobstream.events.ChatMessage("assistant", "Mark and Lori")))
                .build());

        JsonNode result = JSON.readTree(events.await(jobId, JobState.COMPLETED).getReturnValue());

        assertThat(result.path("response").asString()).isEqualTo(FakeOpenAiServer.echo("And the second one?", 3));
    }

    @Test
    void aBatchCompletesWithEveryChildsResultInOrder() {
        String parent = "batch-" + UUID.randomUUID();
        List<String> messages = List.of("first batch question", "second batch question", "third batch question");
        submitBatch(parent, messages);

        JobEvent completed = events.await(parent, JobState.COMPLETED);

        JsonNode results = JSON.readTree(completed.getReturnValue()).path("results");
        assertThat(results).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).path("response").asString()).isEqualTo(FakeOpenAiServer.echo(messages.get(i), 1));
        }
        assertThat(events.of(parent)).filteredOn(e -> e.getState() == JobState.PROGRESS)
                .extracting(JobEvent::getStep).contains("1/3 children done", "2/3 children done");
    }

    @Test
    void aBatchWithOneChildFailingPermanentlyFailsNamingThatChild() {
        openAi.replyWhenAsked("poison batch question", Reply.error(400, "invalid_request_error",
                "This model cannot answer that", Map.of()));
        String parent = "batch-" + UUID.randomUUID();
        submitBatch(parent, List.of("fine batch question one", "poison batch question", "fine batch question three"));

        JobEvent failed = events.await(parent, JobState.FAILED);

        String child = FlowIds.child(parent, 1);
        assertThat(failed.getErrorMessage()).startsWith("child job " + child + " (2 of 3) failed: ")
                .contains("This model cannot answer that");
        JobEvent deadLettered = events.await(child, JobState.DEAD_LETTERED);
        assertThat(deadLettered.getAttempt()).as("a 400 is permanent: no retry").isEqualTo(1);
        events.await(FlowIds.child(parent, 0), JobState.COMPLETED);
        events.await(FlowIds.child(parent, 2), JobState.COMPLETED);
        assertThat(events.last(parent, JobState.COMPLETED)).isEmpty();
    }

    @Test
    void aTimedOutAttemptIsRetriedAndThenSucceeds() {
        // Scripted replies are used in order: the first attempt gets the slow one, the retry an answer.
        openAi.enqueueChat(Reply.slow(Duration.ofSeconds(5)));
        openAi.enqueueChat(Reply.answer("fast now"));
        String jobId = chat("session-slow", "slow question, answered late");

        JobEvent completed = events.await(jobId, JobState.COMPLETED);

        JobEvent retry = events.last(jobId, JobState.RETRY_SCHEDULED).orElseThrow();
        assertThat(retry.getErrorClass()).isEqualTo("java.util.concurrent.TimeoutException");
        assertThat(completed.getAttempt()).isEqualTo(2);
        assertThat(JSON.readTree(completed.getReturnValue()).path("response").asString()).isEqualTo("fast now");
    }

    @Test
    void a429IsRetriedAfterTheProvidersRetryAfterAndA500AfterTheBackOff() {
        openAi.enqueueChat(Reply.error(429, "rate_limit_exceeded", "Slow down", Map.of("retry-after-ms", "1500")));
        String limited = chat("session-429", "rate limited question");
        assertThat(events.await(limited, JobState.COMPLETED).getAttempt()).isEqualTo(2);
        JobEvent retry = events.last(limited, JobState.RETRY_SCHEDULED).orElseThrow();
        // The provider's 1.5 s, not the queue's 200 ms back-off.
        assertThat(Duration.between(retry.getTimestamp(), retry.getDueAt()).toMillis()).isBetween(1400L, 1600L);

        openAi.enqueueChat(Reply.error(500, "server_error", "Oops", Map.of()));
        String failing = chat("session-500", "server error question");
        assertThat(events.await(failing, JobState.COMPLETED).getAttempt()).isEqualTo(2);
        JobEvent serverError = events.last(failing, JobState.RETRY_SCHEDULED).orElseThrow();
        assertThat(serverError.getErrorMessage()).contains("500");
        assertThat(Duration.between(serverError.getTimestamp(), serverError.getDueAt()).toMillis()).isBetween(150L, 250L);
    }

    @Test
    void differentSessionsRunConcurrentlyBeyondThePartitionCount() {
        openAi.replyWhenAsked("concurrent question", Reply.slow(Duration.ofMillis(1500)));
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            jobs.add(chat("session-concurrent-" + i, "concurrent question " + i));
        }
        jobs.forEach(jobId -> events.await(jobId, JobState.COMPLETED));

        // 6 partitions, but 24 sessions' calls overlapped: concurrency is per instance, not per partition.
        assertThat(openAi.maxChatsInFlight()).isGreaterThanOrEqualTo(12);
        assertThat(processor.bean(QueueProperties.class).queue(TopicCatalog.AGENT_CHAT.queue()).concurrency())
                .as("the agent queue's default from application.yml").isEqualTo(32);
    }

    private static String chat(String sessionId, String message) {
        return submit(ChatRequested.newBuilder().setJobId("chat-" + UUID.randomUUID()).setSessionId(sessionId)
                .setMessage(message).build());
    }

    private static String submit(ChatRequested request) {
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(request.getJobId(), "chat", request)
                .withKey(request.getSessionId()));
        return request.getJobId();
    }

    private static void submitBatch(String parent, List<String> messages) {
        List<JobSubmission<ChatRequested>> children = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String childId = FlowIds.child(parent, i);
            children.add(JobSubmission.of(childId, "chat", ChatRequested.newBuilder().setJobId(childId)
                    .setSessionId("session-" + childId).setMessage(messages.get(i)).setBatchIndex(i).build())
                    .withKey("session-" + childId));
        }
        Flows.submit(publisher, TopicCatalog.AGENT_CHAT, parent, "batch-chat", "{\"messages\": " + messages.size() + "}",
                children);
    }

    private static List<JsonNode> chatRequestsContaining(String text) {
        return openAi.chatRequests().stream().filter(request -> request.toString().contains(text)).toList();
    }
}
