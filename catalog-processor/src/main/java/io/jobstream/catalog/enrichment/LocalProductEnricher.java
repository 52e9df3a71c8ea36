package io.jobstream.catalog.enrichment;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.core.content.ProductText;
import io.jobstream.store.product.StoredProduct;

/**
 * The offline enricher, no key and no network: the category is the taxonomy entry whose
 * description is nearest the product text (cosine of the bundled MiniLM's vectors), tags are the
 * product's own tags then RAKE key phrases of its text, attributes are the configured vocabulary
 * words found in the text (whole words), and the description is the product's own first sentences.
 */
public final class LocalProductEnricher implements ProductEnricher {

    private final EmbeddingProvider model;
    private final List<String> categories;
    private final List<float[]> categoryVectors;
    private final Map<String, List<Pattern>> vocabulary = new TreeMap<>();
    private final Map<String, List<String>> vocabularyWords = new TreeMap<>();
    private final int maxTags;
    private final int maxDescriptionChars;

    public LocalProductEnricher(EmbeddingProvider model, Map<String, String> taxonomy, Map<String, List<String>> attributes,
                                int maxTags, int maxDescriptionChars) {
        this.model = model;
        this.categories = List.copyOf(new TreeMap<>(taxonomy).keySet());
        this.categoryVectors = model.embed(categories.stream().map(taxonomy::get).toList());
        attributes.forEach((attribute, words) -> {
            vocabularyWords.put(attribute, List.copyOf(words));
            vocabulary.put(attribute, words.stream()
                    .map(word -> Pattern.compile("\\b" + Pattern.quote(word.toLowerCase(Locale.ROOT)) + "s?\\b"))
                    .toList());
        });
        this.maxTags = maxTags;
        this.maxDescriptionChars = maxDescriptionChars;
    }

    @Override
    public Enrichment enrich(StoredProduct product) {
        String text = ProductText.of(product.title(), product.brand(), product.description(), product.tags());
        float[] vector = model.embed(List.of(text)).getFirst();
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < categories.size(); i++) {
            double score = dot(vector, categoryVectors.get(i));
            if (score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return new Enrichment(categories.get(best), Math.round(bestScore * 1000) / 1000.0, tags(product, text),
                attributes(text), description(product), "local:" + model.model() + "+rake");
    }

    private List<String> tags(StoredProduct product, String text) {
        Set<String> tags = new LinkedHashSet<>();
        product.tags().forEach(tag -> tags.add(tag.toLowerCase(Locale.ROOT).strip()));
        // Phrases from the product's own words only: the tag line is already taken as it is.
        String ownText = product.title() + ". " + product.description();
        tags.addAll(Rake.keyPhrases(ownText, maxTags));
        return tags.stream().filter(tag -> !tag.isBlank()).limit(maxTags).toList();
    }

    private Map<String, List<String>> attributes(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        Map<String, List<String>> found = new LinkedHashMap<>();
        vocabulary.forEach((attribute, patterns) -> {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < patterns.size(); i++) {
                if (patterns.get(i).matcher(lower).find()) {
                    values.add(vocabularyWords.get(attribute).get(i));
                }
            }
            if (!values.isEmpty()) {
                found.put(attribute, values);
            }
        });
        return found;
    }

    /** The description's first sentences up to the limit; the title when it has none. */
    private String description(StoredProduct product) {
        String source = product.description().isBlank() ? product.title() : product.description().strip();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        sentences.setText(source);
        StringBuilder description = new StringBuilder();
        int start = sentences.first();
        for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            String sentence = source.substring(start, end).strip();
            if (description.length() > 0 && description.length() + 1 + sentence.length() > maxDescriptionChars) {
                break;
            }
            description.append(description.length() > 0 ? " " : "").append(sentence);
        }
        String text = description.toString();
        return text.length() <= maxDescriptionChars ? text : text.substring(0, maxDescriptionChars - 1).strip() + "…";
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
