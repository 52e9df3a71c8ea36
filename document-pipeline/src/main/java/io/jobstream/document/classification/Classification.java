package io.jobstream.document.classification;

import java.util.List;

/**
 * A document's label and the score of every label, best first.
 *
 * @param provider which classifier decided, e.g. {@code zero-shot:all-minilm-l6-v2-q}
 */
public record Classification(String label, List<Score> scores, String provider) {

    public Classification {
        scores = List.copyOf(scores);
    }

    public record Score(String label, double score) {
    }
}
