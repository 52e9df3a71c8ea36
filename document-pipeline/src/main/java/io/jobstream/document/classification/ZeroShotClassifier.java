package io.jobstream.document.classification;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.util.function.SingletonSupplier;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.document.text.TextChunks;

/**
 * Zero-shot classification by embedding similarity: the document's embedding (the mean of its
 * first chunks' embeddings) is compared by cosine with each label description's embedding; the
 * score of a label is that cosine similarity, and the most similar label wins. No training data:
 * labels and descriptions come from configuration.
 *
 * <p>The labels are embedded on the first classification, not at start-up: a model provider that is
 * down then fails that job, which is retried, rather than the service's start (the chaos run's 500
 * storm stopped a document-pipeline that was starting).
 */
public final class ZeroShotClassifier implements DocumentClassifier {

    private final EmbeddingProvider embeddings;
    private final List<String> labels;
    /** Kept once computed; a failed attempt is tried again by the next classification. */
    private final SingletonSupplier<List<float[]>> labelVectors;
    private final int chunkCharacters;
    private final int maxChunks;

    /** @param descriptions label to description, in configuration order */
    public ZeroShotClassifier(EmbeddingProvider embeddings, Map<String, String> descriptions, int chunkCharacters, int maxChunks) {
        if (descriptions.size() < 2) {
            throw new IllegalArgumentException("zero-shot classification needs at least two labels, got " + descriptions.keySet());
        }
        this.embeddings = embeddings;
        this.labels = List.copyOf(descriptions.keySet());
        List<String> labelTexts = labels.stream().map(descriptions::get).toList();
        this.labelVectors = SingletonSupplier.of(() -> embeddings.embed(labelTexts));
        this.chunkCharacters = chunkCharacters;
        this.maxChunks = maxChunks;
    }

    @Override
    public Classification classify(String text) {
        List<String> chunks = TextChunks.split(text, chunkCharacters).stream().limit(maxChunks).toList();
        List<float[]> labelVectors = this.labelVectors.obtain();
        float[] document = unitMean(embeddings.embed(chunks));
        List<Classification.Score> scores = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            scores.add(new Classification.Score(labels.get(i), dot(document, labelVectors.get(i))));
        }
        scores.sort(Comparator.comparingDouble(Classification.Score::score).reversed());
        return new Classification(scores.getFirst().label(), scores, "zero-shot:" + embeddings.model());
    }

    private static float[] unitMean(List<float[]> vectors) {
        float[] mean = new float[vectors.getFirst().length];
        vectors.forEach(vector -> {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += vector[i];
            }
        });
        double norm = Math.sqrt(dot(mean, mean));
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= (float) norm;
        }
        return mean;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
