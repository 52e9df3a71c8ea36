package io.jobstream.store;

import java.time.Instant;
import java.util.Map;

/** A scraped post as stored for querying. */
public record Post(String postId, String url, String title, String text, String author, String source,
                   Instant publishedAt, Instant scrapedAt, Instant ingestedAt, String textHash,
                   Map<String, String> metadata) {
}
