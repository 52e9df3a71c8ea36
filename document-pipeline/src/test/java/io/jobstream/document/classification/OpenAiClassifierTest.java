package io.jobstream.document.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;

/** The OpenAI classifier against a fake chat completions endpoint, at the HTTP level. */
class OpenAiClassifierTest {

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("finance", "Money, investors and markets.");
        LABELS.put("legal", "Contracts and courts.");
    }

    private static FakeOpenAiServer server;
    private static OpenAiClassifier classifier;

    @BeforeAll
    static void start() {
        server = new FakeOpenAiServer(8, true);
        classifier = new OpenAiClassifier(new OpenAiStructuredChat(
                new ChatProperties.OpenAi("test-key", server.baseUrl(), "gpt-test", Duration.ofSeconds(10)), "test"),
                LABELS, 20_000);
    }

    @AfterAll
    static void stop() {
        classifier.close();
        server.close();
    }

    @Test
    void asksForAStrictJsonSchemaOverTheLabelsAndReturnsTheModelsLabelAndScores() {
        server.replyWhenAsked("quarterly revenue", Reply.answer("""
                {"label": "finance", "scores": [{"label": "legal", "score": 0.1}, {"label": "finance", "score": 0.9}]}"""));

        Classification result = classifier.classify("The quarterly revenue beat what investors expected.");

        assertThat(result.label()).isEqualTo("finance");
        assertThat(result.scores()).containsExactly(new Classification.Score("finance", 0.9),
                new Classification.Score("legal", 0.1));
        assertThat(result.provider()).isEqualTo("openai:gpt-test");
        JsonNode request = lastRequestContaining("quarterly revenue");
        JsonNode format = request.get("response_format");
        assertThat(format.get("type").asString()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
        JsonNode labelEnum = format.get("json_schema").get("schema").get("properties").get("label").get("enum");
        assertThat(labelEnum.values().stream().map(JsonNode::asString).toList()).containsExactly("finance", "legal");
        assertThat(request.get("model").asString()).isEqualTo("gpt-test");
        assertThat(request.toString()).contains("Contracts and courts.");
    }

    @Test
    void aLabelThatIsNotConfiguredFailsPermanently() {
        server.replyWhenAsked("unknown label case", Reply.answer("""
                {"label": "sports", "scores": [{"label": "finance", "score": 0.5}, {"label": "legal", "score": 0.5}]}"""));

        assertThatThrownBy(() -> classifier.classify("unknown label case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("label sports is not one of [finance, legal]");
    }

    @Test
    void aMissingOrOutOfRangeScoreFailsPermanently() {
        server.replyWhenAsked("missing score case", Reply.answer("""
                {"label": "finance", "scores": [{"label": "finance", "score": 0.5}]}"""));
        server.replyWhenAsked("range case", Reply.answer("""
                {"label": "finance", "scores": [{"label": "finance", "score": 1.5}, {"label": "legal", "score": 0.5}]}"""));

        assertThatThrownBy(() -> classifier.classify("missing score case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("no score for [legal]");
        assertThatThrownBy(() -> classifier.classify("range case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("outside 0..1");
    }

    @Test
    void anAnswerThatIsNotJsonFailsPermanently() {
        server.replyWhenAsked("malformed case", Reply.answer("I think it is about finance."));

        assertThatThrownBy(() -> classifier.classify("malformed case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("not a classification JSON object");
    }

    @Test
    void rateLimitedIsTransientWithTheServersRetryAfter() {
        server.replyWhenAsked("rate limited case",
                Reply.error(429, "rate_limit_exceeded", "slow down", Map.of("Retry-After", "7")));

        assertThatThrownBy(() -> classifier.classify("rate limited case"))
                .isInstanceOfSatisfying(TransientJobException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void aBadRequestIsPermanent() {
        server.replyWhenAsked("bad request case", Reply.error(400, "invalid_request_error", "bad schema", Map.of()));

        assertThatThrownBy(() -> classifier.classify("bad request case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("400");
    }

    private static JsonNode lastRequestContaining(String text) {
        List<JsonNode> requests = server.chatRequests();
        return requests.reversed().stream().filter(r -> r.toString().contains(text)).findFirst().orElseThrow();
    }
}
