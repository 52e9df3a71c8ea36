package io.jobstream.ai.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.jobstream.ai.chat.ChatCompletionJson.Completion;
import io.jobstream.ai.chat.ChatCompletionJson.Request;
import io.jobstream.ai.embedding.OpenAiFailures;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST {baseUrl}/chat/completions} on the JDK's HttpClient (one per provider, HTTP/1.1) with
 * Jackson 3, in place of openai-java on the agent's hot path: a JFR profile of bench-agent put ~40 %
 * of all CPU in the SDK's call path (Kotlin/Jackson 2 model building and validation, OkHttp, Okio's
 * AsyncTimeout list), capping its throughput at 512 concurrent model calls.
 *
 * <p>No retries: failures are classified by {@link OpenAiFailures}, as for the SDK's, and the queue's
 * retry topic schedules the next attempt.
 */
final class ChatCompletionsClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final int MAX_DETAIL_CHARS = 300;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            // Exchanges complete on virtual threads. The default, a cached pool of platform threads through which
            // every answer passes on its way to the waiting job, took 12-15 % of a core at 900 chats/s (bench-agent).
            // Not shut down with the client: calls under way still complete on it.
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final URI uri;
    private final String authorization;
    private final Duration timeout;
    private final String endpoint;

    ChatCompletionsClient(OpenAiChatEndpoint endpoint) {
        this.uri = URI.create(endpoint.baseUrl().replaceAll("/+$", "") + "/chat/completions");
        this.authorization = "Bearer " + endpoint.settings().apiKey();
        this.timeout = endpoint.settings().timeout();
        this.endpoint = endpoint.description();
    }

    /** The completion, well formed; failures as transient/permanent. */
    Completion create(Request request) {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)))
                .build());
        if (response.statusCode() / 100 != 2) {
            throw OpenAiFailures.answered(endpoint, response.statusCode(), response.headers()::allValues,
                    detail(response.body()), null);
        }
        Completion completion;
        try {
            completion = JSON.readValue(response.body(), Completion.class);
        } catch (JacksonException unreadable) {
            throw OpenAiFailures.failed(endpoint, "unreadable answer: " + unreadable.getOriginalMessage(), unreadable);
        }
        if (completion == null || !completion.wellFormed()) {
            throw OpenAiFailures.failed(endpoint, "malformed answer: " + truncated(response.body()), null);
        }
        return completion;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            // Bounds the whole call, body included (HttpRequest.timeout stops at the headers), as the SDK's call timeout did.
            return exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw OpenAiFailures.failed(endpoint, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw OpenAiFailures.failed(endpoint, "no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw OpenAiFailures.failed(endpoint, "interrupted", e);
        }
    }

    /** An error answer's {@code error.message}, else its start. */
    private static String detail(byte[] body) {
        try {
            String message = JSON.readTree(body).path("error").path("message").asString();
            if (!message.isBlank()) {
                return message;
            }
        } catch (JacksonException notJson) {
            // Proxies and gateways answer errors in HTML or plain text.
        }
        return truncated(body);
    }

    private static String truncated(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    @Override
    public void close() {
        // Calls under way finish; new ones are refused.
        http.shutdown();
    }
}
