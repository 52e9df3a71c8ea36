package io.jobstream.store.product;

/** Which products a collection may take; a null part does not filter. Prices in minor units, inclusive. */
public record ProductFilter(Boolean featured, Long minPrice, Long maxPrice) {

    public static final ProductFilter NONE = new ProductFilter(null, null, null);
}
