package io.jobstream.ai.embedding;

import java.util.List;

import io.jobstream.core.retry.PermanentJobException;

/** Input rules shared by every provider, so a bad text fails the same way wherever it is embedded. */
final class Texts {

    private Texts() {
    }

    static void requireEmbeddable(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            requireEmbeddable(texts.get(i), i);
        }
    }

    /** A blank text has no tokens: the local model cannot pool it and OpenAI answers 400. */
    static void requireEmbeddable(String text, int index) {
        if (text == null || text.isBlank()) {
            throw new PermanentJobException("text " + index + " is " + (text == null ? "null" : "blank")
                    + ": there is nothing to embed");
        }
    }
}
