package io.jobstream.ai.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

/**
 * The openai-java client for chat completions, built one way for every use: OpenAI's address
 * unless a base URL is set (any OpenAI-compatible server), the SDK's own retries off (our retry
 * topics decide), the configured timeout.
 *
 * @param endpoint how failures name the server, e.g. {@code chat completions endpoint https://… (model gpt-4o-mini)}
 */
public record OpenAiChatClient(OpenAIClient client, String baseUrl, String model, String endpoint) implements AutoCloseable {

    private static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    /** @param requiredBy what needs the key, for the error when it is missing */
    public static OpenAiChatClient of(ChatProperties.OpenAi settings, String requiredBy) {
        if (settings.apiKey() == null || settings.apiKey().isBlank()) {
            throw new IllegalArgumentException("jobstream.chat.openai.api-key is required " + requiredBy
                    + " (servers without auth accept any value)");
        }
        String baseUrl = settings.baseUrl() == null || settings.baseUrl().isBlank() ? OPENAI_BASE_URL : settings.baseUrl();
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(settings.apiKey())
                .maxRetries(0)
                .timeout(settings.timeout())
                .build();
        return new OpenAiChatClient(client, baseUrl, settings.model(),
                "chat completions endpoint " + baseUrl + " (model " + settings.model() + ")");
    }

    @Override
    public void close() {
        client.close();
    }
}
