package io.jobstream.test.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.test.Await;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;

class FakeOpenAiServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void anOutageAnswersEveryRequestWithItsRepliesInTurn() {
        try (FakeOpenAiServer server = new FakeOpenAiServer(4, true)) {
            // Long enough for three requests on a busy machine; the test does not wait for its end.
            server.outage(Duration.ofMinutes(5), List.of(
                    Reply.error(429, "rate_limit_exceeded", "slow down", Map.of("Retry-After", "7")),
                    Reply.error(500, "server_error", "boom", Map.of())));

            HttpResponse<String> first = embed(server);
            HttpResponse<String> second = chat(server);
            HttpResponse<String> third = embed(server);

            assertThat(first.statusCode()).isEqualTo(429);
            assertThat(first.headers().firstValue("Retry-After")).contains("7");
            assertThat(second.statusCode()).isEqualTo(500);
            assertThat(second.body()).contains("server_error");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(server.outageAnswers()).isEqualTo(3);
        }
    }

    @Test
    void anOutageEndsByTheClockAndTheServerAnswersAgain() {
        try (FakeOpenAiServer server = new FakeOpenAiServer(4, true)) {
            server.outage(Duration.ofSeconds(1), List.of(Reply.error(500, "server_error", "boom", Map.of())));

            Await.until(Duration.ofSeconds(30), "an embedding answered after the outage", () -> status(embed(server)) == 200);

            assertThat(chat(server).statusCode()).isEqualTo(200);
            assertThat(embed(server).body()).contains("\"embedding\"");
        }
    }

    @Test
    void requestsAnsweredWhileRecordingIsOffAreNotKept() {
        try (FakeOpenAiServer server = new FakeOpenAiServer(4, true)) {
            assertThat(chat(server).statusCode()).isEqualTo(200);
            assertThat(embed(server).statusCode()).isEqualTo(200);

            server.recordRequests(false);
            HttpResponse<String> unrecorded = chat(server);
            embed(server);

            assertThat(unrecorded.statusCode()).isEqualTo(200);
            assertThat(unrecorded.body()).contains("echo: hi");
            assertThat(server.chatRequests()).hasSize(1);
            assertThat(server.chatAuthorizations()).hasSize(1);
            assertThat(server.requests()).hasSize(1);
        }
    }

    private HttpResponse<String> embed(FakeOpenAiServer server) {
        return post(server.baseUrl() + "/embeddings", """
                {"model": "text-embedding-3-small", "input": ["hello"]}""");
    }

    private HttpResponse<String> chat(FakeOpenAiServer server) {
        return post(server.baseUrl() + "/chat/completions", """
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}""");
    }

    private HttpResponse<String> post(String url, String json) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }
}
