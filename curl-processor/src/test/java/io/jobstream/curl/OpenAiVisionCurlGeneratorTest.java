package io.jobstream.curl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import io.jobstream.curl.generate.ApiDocumentation;
import io.jobstream.curl.generate.OpenAiVisionCurlGenerator;
import io.jobstream.curl.generate.Screenshot;
import io.jobstream.test.ApiPageScreenshots;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;

/** The vision option against an OpenAI-compatible server faked at the HTTP level. */
class OpenAiVisionCurlGeneratorTest {

    private static final String ANSWER = """
            {"description": "Users API reference",
             "endpoints": [{"method": "GET", "url": "https://api.example.com/v1/users?limit=10",
                            "headers": [{"name": "Authorization", "value": "Bearer sk_test_123"}],
                            "body": "{ \\"role\\": \\"admin\\" }",
                            "description": "Lists the users of the workspace."}]}""";

    private final FakeOpenAiServer server = new FakeOpenAiServer(8, true);
    private final OpenAiVisionCurlGenerator generator = new OpenAiVisionCurlGenerator(new OpenAiStructuredChat(
            new ChatProperties.OpenAi("test-key", server.baseUrl(), "gpt-4o-mini", Duration.ofSeconds(10)), "this test"));

    @AfterEach
    void close() {
        generator.close();
        server.close();
    }

    @Test
    void theScreenshotGoesAsAnImagePartAndTheStrictAnswerBecomesTheEndpoints() {
        byte[] png = ApiPageScreenshots.page("Users API reference", List.of(ApiPageScreenshots.listUsers()));
        server.enqueueChat(Reply.answer(ANSWER));

        ApiDocumentation documentation = generator.generate(new Screenshot(png, "image/png", "https://docs.example.com/users", "Users API"));

        JsonNode request = server.chatRequests().getFirst();
        assertThat(request.path("model").asString()).isEqualTo("gpt-4o-mini");
        JsonNode parts = request.path("messages").get(1).path("content");
        assertThat(parts.get(0).path("type").asString()).isEqualTo("text");
        assertThat(parts.get(0).path("text").asString()).contains("https://docs.example.com/users");
        assertThat(parts.get(1).path("type").asString()).isEqualTo("image_url");
        assertThat(parts.get(1).path("image_url").path("url").asString())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        assertThat(request.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();

        assertThat(documentation.provider()).isEqualTo("openai:gpt-4o-mini");
        assertThat(documentation.confidence()).isNull();
        ApiEndpoint endpoint = documentation.endpoints().getFirst();
        assertThat(endpoint.curl()).isEqualTo("""
                curl -X GET 'https://api.example.com/v1/users?limit=10' \\
                  -H 'Authorization: Bearer sk_test_123' \\
                  --data '{"role":"admin"}'""");
        assertThat(endpoint.description()).isEqualTo("Lists the users of the workspace.");
    }

    @Test
    void anAnswerThatBreaksTheSchemaIsAPermanentFailureNamingTheField() {
        server.enqueueChat(Reply.answer("""
                {"description": "x", "endpoints": [{"method": "FETCH", "url": "https://a.example.com", "headers": [],
                 "body": null, "description": "y"}]}"""));

        assertThatThrownBy(() -> generator.generate(new Screenshot(new byte[] {1}, "image/png", "https://docs.example.com", null)))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("invalid answer")
                .hasMessageContaining("endpoints[0].method");
    }

    @Test
    void anAnswerThatIsNotJsonIsAPermanentFailure() {
        server.enqueueChat(Reply.answer("Sorry, I cannot read that."));

        assertThatThrownBy(() -> generator.generate(new Screenshot(new byte[] {1}, "image/png", "https://docs.example.com", null)))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("invalid answer: not JSON");
    }
}
