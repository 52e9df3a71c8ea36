package io.jobstream.ai.chat;

/**
 * The chat settings resolved once for every OpenAI client: the key checked, OpenAI's address unless
 * a base URL is set (any OpenAI-compatible server).
 *
 * @param description how failures name the server, e.g. {@code chat completions endpoint https://… (model gpt-4o-mini)}
 */
record OpenAiChatEndpoint(ChatProperties.OpenAi settings, String baseUrl, String description) {

    private static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    /** @param requiredBy what needs the key, for the error when it is missing */
    static OpenAiChatEndpoint of(ChatProperties.OpenAi settings, String requiredBy) {
        if (settings.apiKey() == null || settings.apiKey().isBlank()) {
            throw new IllegalArgumentException("jobstream.chat.openai.api-key is required " + requiredBy
                    + " (servers without auth accept any value)");
        }
        String baseUrl = settings.baseUrl() == null || settings.baseUrl().isBlank() ? OPENAI_BASE_URL : settings.baseUrl();
        return new OpenAiChatEndpoint(settings, baseUrl,
                "chat completions endpoint " + baseUrl + " (model " + settings.model() + ")");
    }
}
