package io.jobstream.ingest.content;

import java.time.Instant;
import java.util.Map;

/** One valid dataset item: a post to publish on content.posts and embed. */
record ScrapedPost(String postId, String url, String title, String text, String author, String source,
                   Instant publishedAt, Instant scrapedAt, Map<String, String> metadata) {
}
