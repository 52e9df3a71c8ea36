package io.jobstream.catalog.enrichment;

import io.jobstream.store.product.StoredProduct;

/** Makes a product's category, tags, attributes and short description. Implementations are thread-safe. */
public interface ProductEnricher {

    /**
     * @throws io.jobstream.core.retry.TransientJobException     when trying again later may work
     * @throws io.jobstream.core.retry.PermanentJobException     when the answer cannot be used
     */
    Enrichment enrich(StoredProduct product);
}
