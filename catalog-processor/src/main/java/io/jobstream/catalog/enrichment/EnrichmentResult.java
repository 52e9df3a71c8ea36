package io.jobstream.catalog.enrichment;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A product enrichment job's return value.
 *
 * @param skipped true when the stored enrichment was current for the job's prompt version and the product's text
 * @param version the stored enrichment's version after the job
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrichmentResult(String productId, boolean skipped, int version, String promptVersion, String provider,
                               String category, Double categoryScore, List<String> tags, Map<String, List<String>> attributes,
                               String description) {

    static EnrichmentResult skipped(String productId, int version, String promptVersion, String provider, String category) {
        return new EnrichmentResult(productId, true, version, promptVersion, provider, category, null, null, null, null);
    }
}
