package io.jobstream.document.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.OpenAiEmbeddings;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;

/** Zero-shot classification over the real openai-java client and a fake OpenAI server. */
class ZeroShotClassifierTest {

    private static final Map<String, String> LABELS = new LinkedHashMap<>(Map.of(
            "invoice", "An invoice: amounts due, line items, a payment deadline",
            "contract", "A contract: parties, obligations, terms and signatures"));

    @Test
    void aProviderDownWhileTheServiceStartsFailsTheFirstJobNotTheStart() {
        try (FakeOpenAiServer server = new FakeOpenAiServer(1536, true);
             OpenAiEmbeddings embeddings = new OpenAiEmbeddings(new EmbeddingProperties.OpenAi("sk-test", server.baseUrl(),
                     "text-embedding-3-small", null, Duration.ofSeconds(10)))) {
            server.enqueue(Reply.error(500, "server_error", "The server had an error", Map.of()));

            ZeroShotClassifier classifier = new ZeroShotClassifier(embeddings, LABELS, 2_000, 4);

            assertThatThrownBy(() -> classifier.classify("Invoice 42: 3 items, 120 EUR due by 1 January"))
                    .as("the job that meets the outage").isInstanceOf(TransientJobException.class);
            assertThat(classifier.classify("Invoice 42: 3 items, 120 EUR due by 1 January").label()).isIn(LABELS.keySet());
            classifier.classify("This contract binds both parties to its terms");
            assertThat(server.requests()).filteredOn(request -> inputs(request).equals(List.copyOf(LABELS.values())))
                    .as("the labels' embedding requests: the failed one, then one kept").hasSize(2);
        }
    }

    private static List<String> inputs(JsonNode request) {
        List<String> inputs = new ArrayList<>();
        request.get("input").forEach(input -> inputs.add(input.asString()));
        return inputs;
    }
}
