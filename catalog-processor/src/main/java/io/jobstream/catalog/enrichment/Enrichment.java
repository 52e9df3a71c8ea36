package io.jobstream.catalog.enrichment;

import java.util.List;
import java.util.Map;

/**
 * What enriching a product produced.
 *
 * @param categoryScore how sure the enricher is of the category, 0..1 (cosine similarity offline)
 * @param attributes    attribute → its values found for the product (material, colour, occasion, recipient, …)
 * @param provider      who made it: {@code local:<model>+rake} or {@code openai:<model>}
 */
public record Enrichment(String category, double categoryScore, List<String> tags, Map<String, List<String>> attributes,
                         String description, String provider) {

    public Enrichment {
        tags = List.copyOf(tags);
        attributes = Map.copyOf(attributes);
    }
}
