package io.jobstream.catalog;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code jobstream.catalog.*}. The taxonomy and the attribute vocabularies are written in
 * catalog-processor's {@code application.yml}.
 *
 * @param promptVersion the enrichment recipe of jobs derived from the products topic; null: the job schema's default
 */
@ConfigurationProperties("jobstream.catalog")
public record CatalogProperties(String promptVersion, @DefaultValue Enrichment enrichment,
                                @DefaultValue Collections collections) {

    public enum Provider { LOCAL, OPENAI }

    /**
     * @param taxonomy   category → a description of what belongs in it (the offline enricher embeds these)
     * @param attributes attribute (material, colour, occasion, recipient, …) → the words it takes
     * @param maxTags    tags kept per product
     */
    public record Enrichment(@DefaultValue("local") Provider provider, @DefaultValue Map<String, String> taxonomy,
                             @DefaultValue Map<String, List<String>> attributes, @DefaultValue("6") int maxTags,
                             @DefaultValue("240") int maxDescriptionChars) {

        public Enrichment {
            taxonomy = Map.copyOf(taxonomy);
            attributes = Map.copyOf(attributes);
            if (taxonomy.size() < 2) {
                throw new IllegalArgumentException("jobstream.catalog.enrichment.taxonomy needs at least two categories, has "
                        + taxonomy.size());
            }
        }
    }

    /**
     * @param model         the embedding model whose product vectors are clustered (the embedding processor's)
     * @param seed          k-means' random seed: the same products give the same collections
     * @param maxIterations k-means' iteration limit
     */
    public record Collections(@DefaultValue("all-minilm-l6-v2-q") String model, @DefaultValue("20251221") long seed,
                              @DefaultValue("50") int maxIterations) {
    }
}
