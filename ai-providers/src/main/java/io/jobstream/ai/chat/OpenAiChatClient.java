package io.jobstream.ai.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

/**
 * The openai-java client for structured chat completions: the SDK's own retries off (our retry
 * topics decide), the configured timeout.
 *
 * @param endpoint how failures name the server, e.g. {@code chat completions endpoint https://… (model gpt-4o-mini)}
 */
public record OpenAiChatClient(OpenAIClient client, String baseUrl, String model, String endpoint) implements AutoCloseable {

    /** @param requiredBy what needs the key, for the error when it is missing */
    public static OpenAiChatClient of(ChatProperties.OpenAi settings, String requiredBy) {
        OpenAiChatEndpoint endpoint = OpenAiChatEndpoint.of(settings, requiredBy);
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(endpoint.baseUrl())
                .apiKey(settings.apiKey())
                .maxRetries(0)
                .timeout(settings.timeout())
                .build();
        return new OpenAiChatClient(client, endpoint.baseUrl(), settings.model(), endpoint.description());
    }

    @Override
    public void close() {
        client.close();
    }
}
