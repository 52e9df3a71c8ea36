package io.jobstream.store.product;

import java.util.List;

/** A product with its current vector of one model, as collections are built from. */
public record ProductVector(String productId, String title, String description, List<String> tags, String category,
                            float[] vector) {
}
