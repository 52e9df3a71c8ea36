package io.jobstream.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.document.ner.EntityRecognizer;

/** Choosing the OpenAI options: a missing key stops start-up with a message naming the setting. */
class OpenAiProviderSelectionTest {

    private final DocumentPipelineConfiguration configuration = new DocumentPipelineConfiguration();

    @Test
    void openAiNerWithoutAKeyFailsAtStartUpNamingTheKey() {
        DocumentPipelineProperties properties = new DocumentPipelineProperties(null, null,
                new DocumentPipelineProperties.Ner("openai", List.of(), 1000), null);

        assertThatThrownBy(() -> configuration.entityRecognizer(properties, ChatProperties.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobstream.chat.openai.api-key is required when jobstream.documents.ner.provider is openai");
    }

    @Test
    void openAiClassificationWithoutAKeyFailsAtStartUpNamingTheKey() {
        DocumentPipelineProperties properties = new DocumentPipelineProperties(null,
                new DocumentPipelineProperties.Classification("openai", Map.of("finance", "Money."), 1000, 8, 20_000), null, null);

        assertThatThrownBy(() -> configuration.documentClassifier(null, properties, ChatProperties.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobstream.chat.openai.api-key is required when jobstream.documents.classification.provider is openai");
    }

    @Test
    void openAiNerWithAKeyUsesTheChatModel() throws Exception {
        DocumentPipelineProperties properties = new DocumentPipelineProperties(null, null,
                new DocumentPipelineProperties.Ner("openai", List.of(), 1000), null);
        ChatProperties chat = new ChatProperties(
                new ChatProperties.OpenAi("key", "http://127.0.0.1:9/v1", "gpt-x", Duration.ofSeconds(1)), 5, null);

        EntityRecognizer recognizer = configuration.entityRecognizer(properties, chat);

        assertThat(recognizer.provider()).isEqualTo("openai:gpt-x");
        ((AutoCloseable) recognizer).close();
    }

    @Test
    void anUnknownProviderIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new DocumentPipelineProperties.Ner("spacy", List.of(), 1000))
                .hasMessageContaining("jobstream.documents.ner.provider must be crf or openai, got spacy");
    }
}
