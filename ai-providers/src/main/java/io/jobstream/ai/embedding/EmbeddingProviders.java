package io.jobstream.ai.embedding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the configured provider; plain Java, no Spring context needed. */
public final class EmbeddingProviders {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingProviders.class);

    private EmbeddingProviders() {
    }

    /** The provider {@code properties} select; the caller owns it and closes it. */
    public static EmbeddingProvider create(EmbeddingProperties properties) {
        EmbeddingProperties.Provider kind = properties.resolvedProvider();
        EmbeddingProvider provider = switch (kind) {
            case LOCAL -> new LocalMiniLmEmbeddings(properties.local().parallelism());
            case OPENAI -> new OpenAiEmbeddings(properties.openai());
        };
        log.info("embedding provider selected provider={} model={}", kind.name().toLowerCase(), provider.model());
        return provider;
    }
}
