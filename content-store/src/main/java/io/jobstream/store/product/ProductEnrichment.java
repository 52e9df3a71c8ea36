package io.jobstream.store.product;

import java.time.Instant;

/**
 * A product's stored enrichment.
 *
 * @param version       how many enrichments the product has had (1 for the first)
 * @param promptVersion the enrichment recipe it was made with
 * @param textHash      the product text it was made from
 * @param fields        the enrichment as a JSON object: category, tags, attributes, description, …
 */
public record ProductEnrichment(String productId, int version, String promptVersion, String textHash, String provider,
                                String category, String fields, Instant updatedAt) {

    /** Made from this text with this recipe: nothing to redo. */
    public boolean currentFor(String promptVersion, String textHash) {
        return this.promptVersion.equals(promptVersion) && this.textHash.equals(textHash);
    }
}
