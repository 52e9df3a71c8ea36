package io.jobstream.ai.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the configured chat provider: OpenAI when a key is set, else the offline retrieval answer. */
public final class ChatProviders {

    private static final Logger log = LoggerFactory.getLogger(ChatProviders.class);

    private ChatProviders() {
    }

    public static ChatProvider create(ChatProperties properties) {
        ChatProvider provider = properties.openAiConfigured()
                ? new OpenAiChat(properties.openai(), properties.maxToolRounds())
                : new LocalRetrievalChat();
        log.info("chat provider selected provider={} model={}", provider.name(), provider.model());
        return provider;
    }
}
