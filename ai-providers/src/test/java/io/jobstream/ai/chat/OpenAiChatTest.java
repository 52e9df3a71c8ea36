package io.jobstream.ai.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;

/** Chat completions against an OpenAI-compatible fake at the HTTP level: history, tool loop, failures. */
class OpenAiChatTest {

    private static final ChatTool ECHO_TOOL = new ChatTool() {
        public String name() {
            return "echo_tool";
        }

        public String description() {
            return "echoes";
        }

        public Map<String, Object> parameters() {
            return Map.of("type", "object", "properties", Map.of("n", Map.of("type", "integer")));
        }

        public String call(String argumentsJson) {
            return "got " + argumentsJson;
        }
    };

    private FakeOpenAiServer server;
    private OpenAiChat chat;

    @BeforeEach
    void start() {
        server = new FakeOpenAiServer(8, true);
        chat = new OpenAiChat(new ChatProperties.OpenAi("test-key", server.baseUrl(), "gpt-4o-mini", Duration.ofSeconds(5)), 2);
    }

    @AfterEach
    void stop() {
        chat.close();
        server.close();
    }

    private static ChatRequest hi() {
        return new ChatRequest(null, List.of(), "hi", List.of());
    }

    /** A 200 answer with this body, whatever it holds. */
    private static Reply ok(String body) {
        return new Reply(200, Map.of(), body, Duration.ZERO);
    }

    @Test
    void sendsInstructionsHistoryAndMessageAndReportsUsage() {
        ChatAnswer answer = chat.answer(new ChatRequest("be brief", List.of(new ChatTurn("user", "hi"),
                new ChatTurn("assistant", "hello")), "and now?", List.of()));

        assertThat(answer.response()).isEqualTo(FakeOpenAiServer.echo("and now?", 3));
        assertThat(answer.provider()).isEqualTo("openai");
        assertThat(answer.usage()).isEqualTo(new ChatUsage(10, 5, 15));
        assertThat(server.chatRequests().getFirst().path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(server.chatRequests().getFirst().has("tools")).isFalse();
    }

    @Test
    void theToolLoopStopsAfterMaxRoundsWithToolsDisabled() {
        for (int i = 0; i < 3; i++) {
            server.enqueueChat(Reply.toolCall("call_" + i, "echo_tool", "{\"n\": " + i + "}"));
        }
        ChatAnswer answer = chat.answer(new ChatRequest(null, List.of(), "loop forever", List.of(ECHO_TOOL)));

        assertThat(server.chatRequests()).hasSize(3);
        assertThat(server.chatRequests().get(2).path("tool_choice").asString()).isEqualTo("none");
        assertThat(answer.toolCalls()).extracting(ToolInvocation::output).containsExactly("got {\"n\": 0}", "got {\"n\": 1}");
        assertThat(answer.usage().totalTokens()).isEqualTo(45);
    }

    @Test
    void a429IsTransientWithTheRetryAfterAndA400Permanent() {
        server.enqueueChat(Reply.error(429, "rate_limit_exceeded", "Slow down", Map.of("retry-after", "2")));
        assertThatThrownBy(() -> chat.answer(hi()))
                .isInstanceOfSatisfying(TransientJobException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));

        server.enqueueChat(Reply.error(400, "invalid_request_error", "Bad input", Map.of()));
        assertThatThrownBy(() -> chat.answer(hi()))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("chat completions endpoint " + server.baseUrl())
                .hasMessageContaining("answered 400: Bad input");
    }

    @Test
    void aToolCallRoundTripSendsTheAssistantTurnAndTheToolResultBack() {
        server.enqueueChat(Reply.toolCall("call_7", "echo_tool", "{\"n\": 7}"));
        server.enqueueChat(Reply.answer("seven it is"));

        ChatAnswer answer = chat.answer(new ChatRequest(null, List.of(), "pick a number", List.of(ECHO_TOOL)));

        assertThat(answer.response()).isEqualTo("seven it is");
        assertThat(answer.model()).isEqualTo("fake-chat-model");
        assertThat(answer.toolCalls()).containsExactly(new ToolInvocation("echo_tool", "{\"n\": 7}", "got {\"n\": 7}"));
        assertThat(answer.usage()).isEqualTo(new ChatUsage(20, 10, 30));
        assertThat(server.chatAuthorizations()).containsExactly("Bearer test-key", "Bearer test-key");
        JsonNode first = server.chatRequests().getFirst();
        assertThat(first.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(first.path("tools").get(0).path("type").asString()).isEqualTo("function");
        assertThat(first.path("tools").get(0).path("function").path("name").asString()).isEqualTo("echo_tool");
        assertThat(first.path("tools").get(0).path("function").path("description").asString()).isEqualTo("echoes");
        assertThat(first.path("tools").get(0).path("function").path("parameters").path("type").asString()).isEqualTo("object");
        assertThat(first.has("tool_choice")).isFalse();
        JsonNode messages = server.chatRequests().get(1).path("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        assertThat(assistant.path("content").isNull()).isTrue();
        assertThat(assistant.path("tool_calls").get(0).path("id").asString()).isEqualTo("call_7");
        assertThat(assistant.path("tool_calls").get(0).path("function").path("name").asString()).isEqualTo("echo_tool");
        JsonNode toolResult = messages.get(messages.size() - 1);
        assertThat(toolResult.path("role").asString()).isEqualTo("tool");
        assertThat(toolResult.path("tool_call_id").asString()).isEqualTo("call_7");
        assertThat(toolResult.path("content").asString()).isEqualTo("got {\"n\": 7}");
    }

    @Test
    void aServerErrorIsTransientWithTheRetryAfterInMilliseconds() {
        server.enqueueChat(Reply.error(503, "server_error", "Overloaded", Map.of("retry-after-ms", "1500", "Retry-After", "9")));

        assertThatThrownBy(() -> chat.answer(hi()))
                .isInstanceOfSatisfying(TransientJobException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(1500)))
                .hasMessageContaining("answered 503: Overloaded");
    }

    @Test
    void aMalformedAnswerIsTransient() {
        server.enqueueChat(ok("{\"choices\": [{\"message\": "));
        assertThatThrownBy(() -> chat.answer(hi()))
                .isInstanceOf(TransientJobException.class)
                .hasMessageContaining("chat completions endpoint " + server.baseUrl());

        server.enqueueChat(ok("{\"id\": \"chatcmpl-1\", \"model\": \"m\"}"));
        assertThatThrownBy(() -> chat.answer(hi()))
                .isInstanceOf(TransientJobException.class)
                .hasMessageContaining("malformed answer");
    }

    @Test
    void anAnswerWithoutChoicesIsPermanent() {
        server.enqueueChat(ok("{\"model\": \"m\", \"choices\": []}"));

        assertThatThrownBy(() -> chat.answer(hi()))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("returned no choices");
    }

    @Test
    void noAnswerWithinTheTimeoutIsTransient() {
        try (OpenAiChat impatient = new OpenAiChat(new ChatProperties.OpenAi("test-key", server.baseUrl(), "gpt-4o-mini",
                Duration.ofMillis(300)), 2)) {
            server.enqueueChat(Reply.slow(Duration.ofSeconds(2)));

            assertThatThrownBy(() -> impatient.answer(hi()))
                    .isInstanceOf(TransientJobException.class)
                    .hasMessageContaining("no answer within 300 ms");
        }
    }

    @Test
    void refusesToStartWithoutAnApiKey() {
        assertThatThrownBy(() -> new OpenAiChat(ChatProperties.defaults().openai(), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobstream.chat.openai.api-key is required");
    }
}
