package io.jobstream.core.content;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The text that stands for a product wherever it is embedded or enriched: title, brand,
 * description and tags. Its {@link TextHash} decides whether a product's vector and enrichment are
 * still current, so the processor that derives the jobs and the routes that add them must agree on it.
 */
public final class ProductText {

    private ProductText() {
    }

    public static String of(String title, String brand, String description, List<String> tags) {
        String tagLine = tags == null || tags.isEmpty() ? null : "Tags: " + String.join(", ", tags) + ".";
        return Stream.of(sentence(title), brand == null || brand.isBlank() ? null : "Brand: " + brand.strip() + ".",
                        description == null || description.isBlank() ? null : description.strip(), tagLine)
                .filter(part -> part != null)
                .collect(Collectors.joining(" "));
    }

    public static String hash(String title, String brand, String description, List<String> tags) {
        return TextHash.of(of(title, brand, description, tags));
    }

    private static String sentence(String title) {
        String stripped = title.strip();
        return stripped.endsWith(".") || stripped.endsWith("!") || stripped.endsWith("?") ? stripped : stripped + ".";
    }
}
