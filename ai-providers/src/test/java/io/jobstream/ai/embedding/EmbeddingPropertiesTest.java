package io.jobstream.ai.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.jobstream.ai.embedding.EmbeddingProperties.Provider;

class EmbeddingPropertiesTest {

    @Test
    void bindsToTheDefaultsWhenNothingIsSet() {
        EmbeddingProperties properties = bind(Map.of());

        assertThat(properties).isEqualTo(EmbeddingProperties.defaults());
        assertThat(properties.resolvedProvider()).isEqualTo(Provider.LOCAL);
        assertThat(properties.openai().model()).isEqualTo("text-embedding-3-small");
        assertThat(properties.openai().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.local().parallelism()).isEqualTo(2);
        assertThat(properties.batch()).isEqualTo(new EmbeddingProperties.Batch(32, Duration.ofMillis(20), 256));
    }

    @Test
    void anApiKeySelectsOpenAiUnlessTheProviderIsSet() {
        EmbeddingProperties withKey = bind(Map.of(
                "jobstream.embedding.openai.api-key", "sk-test",
                "jobstream.embedding.openai.base-url", "http://localhost:11434/v1",
                "jobstream.embedding.openai.dimensions", "512",
                "jobstream.embedding.batch.linger", "5ms"));

        assertThat(withKey.resolvedProvider()).isEqualTo(Provider.OPENAI);
        assertThat(withKey.openai().dimensions()).isEqualTo(512);
        assertThat(withKey.batch().linger()).isEqualTo(Duration.ofMillis(5));
        assertThat(withKey.batch().size()).isEqualTo(32);
        assertThat(withKey.openai().toString()).doesNotContain("sk-test");

        EmbeddingProperties forcedLocal = bind(Map.of(
                "jobstream.embedding.provider", "local",
                "jobstream.embedding.openai.api-key", "sk-test"));
        assertThat(forcedLocal.resolvedProvider()).isEqualTo(Provider.LOCAL);
    }

    @Test
    void rejectsABatchLargerThanWhatMayBePending() {
        assertThatThrownBy(() -> bind(Map.of("jobstream.embedding.batch.size", "64", "jobstream.embedding.batch.max-pending", "32")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factoryBuildsTheSelectedProvider() {
        try (EmbeddingProvider local = EmbeddingProviders.create(EmbeddingProperties.defaults())) {
            assertThat(local).isInstanceOf(LocalMiniLmEmbeddings.class);
        }
        EmbeddingProperties openAi = bind(Map.of("jobstream.embedding.openai.api-key", "sk-test",
                "jobstream.embedding.openai.model", "text-embedding-3-large"));
        try (EmbeddingProvider remote = EmbeddingProviders.create(openAi)) {
            assertThat(remote).isInstanceOf(OpenAiEmbeddings.class);
            assertThat(remote.model()).isEqualTo("text-embedding-3-large");
            assertThat(remote.dimensions()).isEqualTo(3072);
        }
    }

    private static EmbeddingProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("jobstream.embedding", EmbeddingProperties.class);
    }
}
