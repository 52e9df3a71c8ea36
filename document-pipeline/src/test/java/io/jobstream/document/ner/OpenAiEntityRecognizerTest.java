package io.jobstream.document.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.store.document.Mention;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;

/** The OpenAI entity recognizer against a fake chat completions endpoint, at the HTTP level. */
class OpenAiEntityRecognizerTest {

    private static FakeOpenAiServer server;
    private static OpenAiEntityRecognizer recognizer;

    @BeforeAll
    static void start() {
        server = new FakeOpenAiServer(8, true);
        recognizer = new OpenAiEntityRecognizer(new OpenAiStructuredChat(
                new ChatProperties.OpenAi("test-key", server.baseUrl(), "gpt-test", Duration.ofSeconds(10)), "test"));
    }

    @AfterAll
    static void stop() {
        recognizer.close();
        server.close();
    }

    @Test
    void everyOccurrenceOfEachEntityBecomesAMentionAtItsRealOffsets() {
        String text = "Acme Corp hired Jane Doe in Paris. Jane Doe earns $5 million at Acme Corp.";
        server.replyWhenAsked("Acme Corp hired", Reply.answer("""
                {"entities": [{"type": "ORGANIZATION", "text": "Acme Corp"}, {"type": "PERSON", "text": "Jane Doe"},
                              {"type": "LOCATION", "text": "Paris"}, {"type": "MONEY", "text": "$5 million"},
                              {"type": "PERSON", "text": "John Smith"}]}"""));

        assertThat(recognizer.recognize(text)).containsExactly(
                new Mention("ORGANIZATION", "Acme Corp", 0, 9),
                new Mention("PERSON", "Jane Doe", 16, 24),
                new Mention("LOCATION", "Paris", 28, 33),
                new Mention("PERSON", "Jane Doe", 35, 43),
                new Mention("MONEY", "$5 million", 50, 60),
                new Mention("ORGANIZATION", "Acme Corp", 64, 73));
        assertThat(recognizer.provider()).isEqualTo("openai:gpt-test");
        JsonNode format = server.chatRequests().reversed().stream()
                .filter(r -> r.toString().contains("Acme Corp hired")).findFirst().orElseThrow().get("response_format");
        assertThat(format.get("type").asString()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
        JsonNode types = format.get("json_schema").get("schema").get("properties").get("entities").get("items")
                .get("properties").get("type").get("enum");
        assertThat(types.values().stream().map(JsonNode::asString).toList())
                .containsExactly("PERSON", "ORGANIZATION", "LOCATION", "DATE", "MONEY", "PERCENT", "TIME");
    }

    @Test
    void anUnknownTypeOrAMalformedAnswerFailsPermanently() {
        server.replyWhenAsked("unknown type case", Reply.answer("""
                {"entities": [{"type": "WEAPON", "text": "case"}]}"""));
        server.replyWhenAsked("malformed case", Reply.answer("entities: none"));

        assertThatThrownBy(() -> recognizer.recognize("unknown type case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("entity type WEAPON is not one of");
        assertThatThrownBy(() -> recognizer.recognize("malformed case"))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("not an entities JSON object");
    }

    @Test
    void rateLimitedIsTransientWithTheServersRetryAfter() {
        server.replyWhenAsked("rate limited case",
                Reply.error(429, "rate_limit_exceeded", "slow down", Map.of("Retry-After", "3")));

        assertThatThrownBy(() -> recognizer.recognize("rate limited case"))
                .isInstanceOfSatisfying(TransientJobException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
    }
}
