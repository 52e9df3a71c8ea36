package io.jobstream.ai.chat;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chat model behind the agent, e.g. {@code jobstream.chat.openai.api-key=sk-…}. Without a key the
 * agent answers offline from retrieved passages and tool results ({@code local-retrieval}).
 *
 * @param maxToolRounds model calls that may ask for tools before the agent stops and answers with
 *                      what it has: a model looping on tools cannot hold a job forever
 */
@ConfigurationProperties("jobstream.chat")
public record ChatProperties(@DefaultValue OpenAi openai, @DefaultValue("5") int maxToolRounds,
                             @DefaultValue(DEFAULT_INSTRUCTIONS) String instructions) {

    public static final String DEFAULT_INSTRUCTIONS = "You are a helpful assistant for a knowledge base. "
            + "Use search_knowledge to find facts before answering questions about its content, "
            + "and calculator for any arithmetic. Answer concisely and say when the knowledge base has nothing relevant.";

    public ChatProperties {
        openai = Objects.requireNonNullElse(openai, OpenAi.DEFAULTS);
        instructions = Objects.requireNonNullElse(instructions, DEFAULT_INSTRUCTIONS);
        if (maxToolRounds < 1) {
            throw new IllegalArgumentException("jobstream.chat.max-tool-rounds must be at least 1, got " + maxToolRounds);
        }
    }

    public static ChatProperties defaults() {
        return new ChatProperties(null, 5, null);
    }

    public boolean openAiConfigured() {
        return openai.apiKey() != null && !openai.apiKey().isBlank();
    }

    /**
     * An OpenAI-compatible chat completions endpoint.
     *
     * @param baseUrl e.g. {@code http://localhost:11434/v1}; unset: {@code https://api.openai.com/v1}
     * @param timeout one HTTP request's limit (the job's own timeout bounds the whole answer)
     */
    public record OpenAi(String apiKey, String baseUrl, @DefaultValue(DEFAULT_MODEL) String model,
                         @DefaultValue("60s") Duration timeout) {

        public static final String DEFAULT_MODEL = "gpt-4o-mini";
        static final OpenAi DEFAULTS = new OpenAi(null, null, DEFAULT_MODEL, Duration.ofSeconds(60));

        public OpenAi {
            model = Objects.requireNonNullElse(model, DEFAULT_MODEL);
            timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(60));
        }

        @Override
        public String toString() {
            return "OpenAi[apiKey=" + (apiKey == null ? "unset" : "***") + ", baseUrl=" + baseUrl + ", model=" + model
                    + ", timeout=" + timeout + "]";
        }
    }
}
