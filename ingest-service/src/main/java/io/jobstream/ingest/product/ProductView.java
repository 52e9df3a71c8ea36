package io.jobstream.ingest.product;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.jobstream.store.product.ProductEnrichment;
import io.jobstream.store.product.StoredProduct;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /api/products/{id}}: the product as stored and its enrichment (null until it has one). */
public record ProductView(boolean success, Item product, Enrichment enrichment) {

    public record Item(String id, String title, String description, String brand, long price, String currency,
                       boolean isFeatured, List<String> tags, Instant updatedAt, String textHash) {
    }

    /** @param fields category, categoryScore, tags, attributes, description */
    public record Enrichment(int version, String promptVersion, String provider, boolean current, JsonNode fields,
                             Instant updatedAt) {
    }

    static ProductView of(StoredProduct product, Optional<ProductEnrichment> enrichment, JsonMapper json) {
        Item item = new Item(product.productId(), product.title(), product.description(), product.brand(), product.price(),
                product.currency(), product.featured(), product.tags(), product.updatedAt(), product.textHash());
        return new ProductView(true, item, enrichment.map(e -> new Enrichment(e.version(), e.promptVersion(), e.provider(),
                e.textHash().equals(product.textHash()), json.readTree(e.fields()), e.updatedAt())).orElse(null));
    }
}
