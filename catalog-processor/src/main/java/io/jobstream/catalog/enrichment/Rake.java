package io.jobstream.catalog.enrichment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RAKE (Rose et al., 2010, "Automatic keyword extraction from individual documents"): candidate
 * phrases are the runs of words between stop words and punctuation; a word scores its degree over
 * its frequency among the candidates, a phrase the sum of its words' scores.
 */
public final class Rake {

    private static final Pattern PHRASE_BREAK = Pattern.compile("[.,;:!?()\\[\\]{}\"|/\\n\\r\\t]+|\\s[-–—]\\s");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'-]*");
    private static final int MAX_PHRASE_WORDS = 3;
    /** A short English stop list (SMART's most frequent entries) plus catalogue filler. */
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
            "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
            "does", "doing", "down", "during", "each", "every", "few", "for", "from", "further", "had", "has", "have",
            "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
            "itself", "just", "made", "make", "makes", "me", "more", "most", "my", "no", "nor", "not", "now", "of",
            "off", "on", "once", "one", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should",
            "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
            "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "well", "were", "what",
            "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
            "perfect", "great", "ideal", "new", "tags", "brand", "brings", "keeps", "features", "use", "using");

    private Rake() {
    }

    /** Key phrases of {@code text}, best first, lower case, at most {@code limit}. */
    public static List<String> keyPhrases(String text, int limit) {
        List<List<String>> candidates = candidates(text);
        Map<String, Integer> frequency = new HashMap<>();
        Map<String, Integer> degree = new HashMap<>();
        for (List<String> phrase : candidates) {
            for (String word : phrase) {
                frequency.merge(word, 1, Integer::sum);
                degree.merge(word, phrase.size(), Integer::sum);
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (List<String> phrase : candidates) {
            double score = phrase.stream().mapToDouble(word -> (double) degree.get(word) / frequency.get(word)).sum();
            scores.merge(String.join(" ", phrase), score, Math::max);
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The lower-case words of {@code text} that are not stop words, in order. */
    public static List<String> contentWords(String text) {
        return candidates(text).stream().flatMap(List::stream).toList();
    }

    private static List<List<String>> candidates(String text) {
        List<List<String>> candidates = new ArrayList<>();
        for (String fragment : PHRASE_BREAK.split(text.toLowerCase(Locale.ROOT))) {
            List<String> current = new ArrayList<>();
            var words = WORD.matcher(fragment);
            while (words.find()) {
                String word = words.group();
                if (STOP_WORDS.contains(word) || word.chars().allMatch(Character::isDigit) || word.length() < 2) {
                    flush(current, candidates);
                } else {
                    current.add(word);
                }
            }
            flush(current, candidates);
        }
        return candidates;
    }

    /** Long runs are split: a catalogue sentence without stop words is not one keyword. */
    private static void flush(List<String> current, List<List<String>> candidates) {
        for (int from = 0; from < current.size(); from += MAX_PHRASE_WORDS) {
            candidates.add(List.copyOf(current.subList(from, Math.min(current.size(), from + MAX_PHRASE_WORDS))));
        }
        current.clear();
    }
}
