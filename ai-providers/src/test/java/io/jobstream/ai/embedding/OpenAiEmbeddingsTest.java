package io.jobstream.ai.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.test.FreePorts;

/** The real openai-java client against a fake OpenAI-compatible server over HTTP. */
class OpenAiEmbeddingsTest {

    private static final List<String> TEXTS = List.of(
            "Hand-thrown stoneware mug, 350 ml, dishwasher safe",
            "Interview experience: two coding rounds and a system design round",
            "Taste profile: likes minimalist design, dark roast coffee and hiking");

    private FakeOpenAiServer server;
    private OpenAiEmbeddings embeddings;

    @AfterEach
    void stop() {
        if (embeddings != null) {
            embeddings.close();
        }
        server.close();
    }

    @Test
    void returnsOneVectorPerTextInOrderWithTheConfiguredDimensions() {
        start(new FakeOpenAiServer(1536, true), "text-embedding-3-small", 256);

        List<float[]> vectors = embeddings.embed(TEXTS);

        assertThat(embeddings.model()).isEqualTo("text-embedding-3-small");
        assertThat(embeddings.dimensions()).isEqualTo(256);
        assertThat(vectors).hasSize(3);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(FakeOpenAiServer.vectorFor(TEXTS.get(i), 256), within(1e-6f));
        }
        JsonNode request = single(server.requests());
        assertThat(request.get("model").asString()).isEqualTo("text-embedding-3-small");
        assertThat(request.get("dimensions").asInt()).isEqualTo(256);
        assertThat(request.get("encoding_format").asString()).as("the SDK's default, decoded by the SDK").isEqualTo("base64");
        assertThat(request.get("input")).extracting(JsonNode::asString).containsExactlyElementsOf(TEXTS);
    }

    @Test
    void knowsOpenAiModelLengthsAndReadsFloatsFromServersThatIgnoreBase64() {
        start(new FakeOpenAiServer(1536, false), "text-embedding-3-small", null);

        List<float[]> vectors = embeddings.embed(TEXTS);

        assertThat(embeddings.dimensions()).isEqualTo(1536);
        assertThat(vectors.getFirst()).containsExactly(FakeOpenAiServer.vectorFor(TEXTS.getFirst(), 1536), within(1e-6f));
        assertThat(single(server.requests()).has("dimensions")).isFalse();
    }

    @Test
    void learnsTheLengthOfAnUnknownModelFromOneProbe() {
        start(new FakeOpenAiServer(768, true), "nomic-embed-text", null);

        assertThat(embeddings.dimensions()).isEqualTo(768);
        assertThat(embeddings.dimensions()).isEqualTo(768);
        assertThat(single(server.requests()).has("dimensions")).isFalse();
    }

    @Test
    void rateLimitIsTransientWithTheServersRetryAfter() {
        start(new FakeOpenAiServer(1536, true), "text-embedding-3-small", null);
        server.enqueue(Reply.error(429, "requests", "Rate limit reached for text-embedding-3-small", Map.of("Retry-After", "3")));

        TransientJobException failure = catchThrowableOfType(TransientJobException.class, () -> embeddings.embed(TEXTS));

        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(failure).hasMessageContaining("429");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void serverErrorIsTransient() {
        start(new FakeOpenAiServer(1536, true), "text-embedding-3-small", null);
        server.enqueue(Reply.error(500, "server_error", "The server had an error while processing your request.", Map.of()));

        TransientJobException failure = catchThrowableOfType(TransientJobException.class, () -> embeddings.embed(TEXTS));

        assertThat(failure.retryAfter()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void badRequestIsPermanent() {
        start(new FakeOpenAiServer(1536, true), "text-embedding-3-small", null);
        server.enqueue(Reply.error(400, "invalid_request_error",
                "This model's maximum context length is 8192 tokens", Map.of()));

        assertThatThrownBy(() -> embeddings.embed(TEXTS))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("400");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void timeoutIsTransient() {
        server = new FakeOpenAiServer(1536, true);
        embeddings = new OpenAiEmbeddings(new EmbeddingProperties.OpenAi("sk-test", server.baseUrl(),
                "text-embedding-3-small", null, Duration.ofMillis(300)));
        server.enqueue(Reply.slow(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> embeddings.embed(TEXTS)).isInstanceOf(TransientJobException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void unreachableServerIsTransient() {
        server = new FakeOpenAiServer(1536, true);
        embeddings = new OpenAiEmbeddings(new EmbeddingProperties.OpenAi("sk-test",
                "http://127.0.0.1:" + FreePorts.next() + "/v1", "text-embedding-3-small", null, Duration.ofSeconds(5)));

        assertThatThrownBy(() -> embeddings.embed(TEXTS)).isInstanceOf(TransientJobException.class);
    }

    @Test
    void refusesToStartWithoutAnApiKey() {
        server = new FakeOpenAiServer(1536, true);

        assertThatThrownBy(() -> new OpenAiEmbeddings(EmbeddingProperties.defaults().openai()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api-key");
    }

    private void start(FakeOpenAiServer fake, String model, Integer dimensions) {
        server = fake;
        embeddings = new OpenAiEmbeddings(new EmbeddingProperties.OpenAi("sk-test", server.baseUrl(), model, dimensions,
                Duration.ofSeconds(10)));
    }

    private static JsonNode single(List<JsonNode> requests) {
        assertThat(requests).as("requests the server saw").hasSize(1);
        return requests.getFirst();
    }
}
