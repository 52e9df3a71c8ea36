package io.jobstream.ai.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobstream.core.retry.PermanentJobException;

/** The bundled model itself: real inference, no fakes. */
class LocalMiniLmEmbeddingsTest {

    private static LocalMiniLmEmbeddings model;

    @BeforeAll
    static void load() {
        model = new LocalMiniLmEmbeddings(2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void describesItself() {
        assertThat(model.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(model.dimensions()).isEqualTo(384);
    }

    @Test
    void returnsUnitLengthVectorsOf384Dimensions() {
        List<float[]> vectors = model.embed(List.of("Kafka Streams replaces the Redis job queue.", "short"));

        assertThat(vectors).hasSize(2).allSatisfy(vector -> {
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
        });
    }

    @Test
    void placesAParaphraseCloserThanAnUnrelatedSentence() {
        List<float[]> vectors = model.embed(List.of(
                "How do I reset my password?",
                "Steps to recover a forgotten account password",
                "The bakery on the corner sells sourdough bread every morning."));

        double paraphrase = cosine(vectors.get(0), vectors.get(1));
        double unrelated = cosine(vectors.get(0), vectors.get(2));

        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void embedsABatchExactlyAsOneTextAtATime() {
        List<String> texts = IntStream.range(0, 64)
                .mapToObj(i -> "Product " + i + ": a " + (i % 2 == 0 ? "hand-made ceramic mug" : "waterproof hiking jacket")
                        + " rated " + (i % 5) + " stars by " + (i * 7) + " buyers" + ".".repeat(i % 3 + 1))
                .toList();

        List<float[]> batch = model.embed(texts);
        List<float[]> single = new ArrayList<>();
        for (String text : texts) {
            single.add(model.embed(List.of(text)).getFirst());
        }

        assertThat(batch).hasSize(64);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = single.get(i);
            float[] actual = batch.get(i);
            for (int d = 0; d < expected.length; d++) {
                assertThat(actual[d]).as("text %d dimension %d", i, d).isCloseTo(expected[d], within(1e-5f));
            }
        }
    }

    @Test
    void embedsTextsLongerThanTheModelWindow() {
        String longText = "Event-driven pipelines keep every job in a durable log. ".repeat(120);

        float[] vector = model.embed(List.of(longText)).getFirst();

        assertThat(vector).hasSize(384);
        assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void rejectsBlankTextsAsPermanentFailures() {
        assertThatThrownBy(() -> model.embed(List.of("fine", "  ")))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("text 1 is blank");
        assertThat(model.embed(List.of())).isEmpty();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] vector) {
        double squares = 0;
        for (float v : vector) {
            squares += v * v;
        }
        return Math.sqrt(squares);
    }
}
