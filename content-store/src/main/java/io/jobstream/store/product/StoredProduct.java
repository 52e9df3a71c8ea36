package io.jobstream.store.product;

import java.time.Instant;
import java.util.List;

/**
 * A product as the products table keeps it.
 *
 * @param price    minor units of {@code currency}
 * @param textHash hash of the product's text ({@code ProductText}), which its vector and enrichment were made from
 */
public record StoredProduct(String productId, String title, String description, String brand, long price, String currency,
                            boolean featured, List<String> tags, Instant updatedAt, String textHash) {

    public StoredProduct {
        tags = List.copyOf(tags);
    }
}
