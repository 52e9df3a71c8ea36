package io.jobstream.catalog.product;

import java.util.Optional;
import java.util.regex.Pattern;

import io.jobstream.events.Product;

/** What a product on the products topic must be, whoever produced it. */
final class ProductChecks {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private ProductChecks() {
    }

    static Optional<String> problem(Product product) {
        if (product.getId().isBlank()) {
            return Optional.of("id is blank");
        }
        if (product.getTitle().isBlank()) {
            return Optional.of("title is blank");
        }
        if (product.getPrice() < 0) {
            return Optional.of("price is negative");
        }
        if (!CURRENCY.matcher(product.getCurrency()).matches()) {
            return Optional.of("currency must be an ISO 4217 code (three upper-case letters), got '" + product.getCurrency() + "'");
        }
        return Optional.empty();
    }
}
