package io.jobstream.store.product;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** One collection of a surface's day, {@code position} 1 first. */
public record CuratedCollection(String surface, LocalDate date, int position, String title, List<String> keywords,
                                List<String> productIds, String provider, String jobId, Instant createdAt) {

    public CuratedCollection {
        keywords = List.copyOf(keywords);
        productIds = List.copyOf(productIds);
    }
}
