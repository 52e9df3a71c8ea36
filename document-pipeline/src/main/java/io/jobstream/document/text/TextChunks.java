package io.jobstream.document.text;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into chunks of at most {@code maxCharacters}, at sentence ends where it can and at
 * white space otherwise: the unit that is embedded for search and for classification.
 */
public final class TextChunks {

    private TextChunks() {
    }

    public static List<String> split(String text, int maxCharacters) {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("maxCharacters must be positive, got " + maxCharacters);
        }
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        int start = sentences.first();
        for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            String sentence = text.substring(start, end).strip().replaceAll("\\s+", " ");
            if (sentence.isEmpty()) {
                continue;
            }
            if (!current.isEmpty() && current.length() + 1 + sentence.length() > maxCharacters) {
                chunks.add(current.toString());
                current.setLength(0);
            }
            while (sentence.length() > maxCharacters) {
                int cut = sentence.lastIndexOf(' ', maxCharacters);
                cut = cut <= 0 ? maxCharacters : cut;
                chunks.add(sentence.substring(0, cut).strip());
                sentence = sentence.substring(cut).strip();
            }
            if (!sentence.isEmpty()) {
                current.append(current.isEmpty() ? "" : " ").append(sentence);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current.toString());
        }
        return chunks;
    }
}
