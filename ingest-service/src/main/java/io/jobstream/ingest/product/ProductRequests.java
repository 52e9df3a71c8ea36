package io.jobstream.ingest.product;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

import io.jobstream.events.Product;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.api.RejectedRequestException;
import io.jobstream.ingest.content.Timestamps;
import io.jobstream.ingest.submit.JobIds;
import tools.jackson.databind.JsonNode;

/** Request bodies of the product routes → {@link Product} records, every field checked. */
final class ProductRequests {

    static final int MAX_BULK = 1000;
    static final int MAX_TITLE_CHARS = 500;
    static final int MAX_DESCRIPTION_CHARS = 10_000;
    static final int MAX_BRAND_CHARS = 200;
    static final int MAX_TAGS = 50;
    static final int MAX_TAG_CHARS = 100;
    /** Far above any price in minor units; keeps sums of prices within a long. */
    static final long MAX_PRICE = 1_000_000_000_000L;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private ProductRequests() {
    }

    /** {@code PUT /api/products/{productId}}: the path names the product; a body {@code id} must agree. */
    static Product one(String productId, JsonNode body, Instant now) {
        JobIds.problem(productId).ifPresent(reason -> {
            throw new BadRequestException("productId", reason);
        });
        JsonFields fields = JsonFields.of(body);
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new BadRequestException("body", "is required: the product as a JSON object");
        }
        String id = fields.text("id", JobIds.MAX_LENGTH);
        if (id != null && !id.equals(productId)) {
            throw new BadRequestException("id", "must match the path's product id '" + productId + "', got '" + id + "'");
        }
        return product(productId, body, fields, now);
    }

    /** {@code POST /api/products/bulk}: {@code [...]} or {@code {products: [...]}}, each with its {@code id}. */
    static List<Product> bulk(JsonNode body, Instant now) {
        JsonNode items = body != null && body.isObject() ? body.get("products") : body;
        String field = body != null && body.isObject() ? "products" : "body";
        if (items == null || !items.isArray()) {
            throw new BadRequestException(field, "must be an array of products");
        }
        if (items.isEmpty()) {
            throw new BadRequestException(field, "must not be empty");
        }
        if (items.size() > MAX_BULK) {
            throw new RejectedRequestException(HttpStatus.CONTENT_TOO_LARGE, "Too many products", field,
                    "must have at most " + MAX_BULK + " products, got " + items.size());
        }
        List<Product> products = new ArrayList<>(items.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "products[" + i + "].";
            try {
                JsonNode item = items.get(i);
                if (item == null || !item.isObject()) {
                    throw new BadRequestException("", "must be a JSON object");
                }
                JsonFields fields = JsonFields.of(item);
                String id = fields.requiredText("id", JobIds.MAX_LENGTH);
                JobIds.problem(id).ifPresent(reason -> {
                    throw new BadRequestException("id", reason);
                });
                Integer first = seen.putIfAbsent(id, i);
                if (first != null) {
                    throw new BadRequestException("id", "'" + id + "' is also products[" + first + "]; one request takes a product once");
                }
                products.add(product(id, item, fields, now));
            } catch (BadRequestException e) {
                String name = e.field().isEmpty() ? "products[" + i + "]" : prefix + e.field();
                throw new BadRequestException(name, e.reason());
            }
        }
        return products;
    }

    private static Product product(String id, JsonNode body, JsonFields fields, Instant now) {
        String currency = fields.requiredText("currency", 3 + 1).toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(currency).matches()) {
            throw new BadRequestException("currency", "must be an ISO 4217 code such as GBP, got '" + currency + "'");
        }
        Long price = fields.wholeNumber("price", 0, MAX_PRICE);
        if (price == null) {
            throw new BadRequestException("price", "is required (minor units, e.g. 1999 for 19.99)");
        }
        String description = fields.text("description", MAX_DESCRIPTION_CHARS);
        Boolean featured = fields.bool("isFeatured");
        return Product.newBuilder()
                .setId(id)
                .setTitle(fields.requiredText("title", MAX_TITLE_CHARS).strip())
                .setDescription(description == null ? "" : description.strip())
                .setBrand(fields.text("brand", MAX_BRAND_CHARS))
                .setPrice(price)
                .setCurrency(currency)
                .setIsFeatured(featured != null && featured)
                .setTags(tags(body, fields))
                .setUpdatedAt(updatedAt(body, now))
                .build();
    }

    private static List<String> tags(JsonNode body, JsonFields fields) {
        JsonNode tags = body.get("tags");
        if (tags != null && tags.isArray() && tags.isEmpty()) {
            return List.of();
        }
        List<String> list = fields.textList("tags", MAX_TAGS, MAX_TAG_CHARS);
        return list == null ? List.of() : list.stream().map(String::strip).toList();
    }

    private static Instant updatedAt(JsonNode body, Instant now) {
        JsonNode value = body.get("updatedAt");
        if (value == null || value.isNull()) {
            return now;
        }
        return Timestamps.parse(value).orElseThrow(() -> new BadRequestException("updatedAt",
                "must be an ISO-8601 time or epoch milliseconds"));
    }
}
