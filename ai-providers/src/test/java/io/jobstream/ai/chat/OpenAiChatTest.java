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

/** openai-java's chat completions against an OpenAI-compatible fake: history, tool loop, failures. */
class OpenAiChatTest {

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
        ChatTool tool = new ChatTool() {
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

        ChatAnswer answer = chat.answer(new ChatRequest(null, List.of(), "loop forever", List.of(tool)));

        assertThat(server.chatRequests()).hasSize(3);
        assertThat(server.chatRequests().get(2).path("tool_choice").asString()).isEqualTo("none");
        assertThat(answer.toolCalls()).extracting(ToolInvocation::output).containsExactly("got {\"n\": 0}", "got {\"n\": 1}");
        assertThat(answer.usage().totalTokens()).isEqualTo(45);
    }

    @Test
    void a429IsTransientWithTheRetryAfterAndA400Permanent() {
        server.enqueueChat(Reply.error(429, "rate_limit_exceeded", "Slow down", Map.of("retry-after", "2")));
        assertThatThrownBy(() -> chat.answer(new ChatRequest(null, List.of(), "hi", List.of())))
                .isInstanceOfSatisfying(TransientJobException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));

        server.enqueueChat(Reply.error(400, "invalid_request_error", "Bad input", Map.of()));
        assertThatThrownBy(() -> chat.answer(new ChatRequest(null, List.of(), "hi", List.of())))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("400");
    }
}
