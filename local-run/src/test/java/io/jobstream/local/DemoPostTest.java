package io.jobstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class DemoPostTest {

    private final List<DemoPost> posts = DemoPost.loadDemo(JsonMapper.builder().build());

    @Test
    void shipsAFewHundredPosts() {
        assertThat(posts).hasSizeBetween(300, 500);
    }

    @Test
    void everyPostHasAUniqueIdTheWebhookAccepts() {
        assertThat(posts).extracting(DemoPost::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isNotBlank().doesNotContain("/").hasSizeLessThanOrEqualTo(200));
    }

    @Test
    void everyPostHasTextAuthorUrlAndAnIsoTimestamp() {
        assertThat(posts).allSatisfy(post -> {
            assertThat(post.text()).isNotBlank();
            assertThat(post.author()).isNotBlank();
            assertThat(post.url()).startsWith("https://");
            assertThat(Instant.parse(post.timestamp())).isBetween(Instant.parse("2025-01-01T00:00:00Z"),
                    Instant.parse("2026-01-01T00:00:00Z"));
        });
    }

    @Test
    void textsAreDistinctAndSpreadOverManyAuthors() {
        assertThat(posts).extracting(DemoPost::text).doesNotHaveDuplicates();
        assertThat(posts.stream().collect(Collectors.groupingBy(DemoPost::author, Collectors.counting())))
                .hasSizeGreaterThan(40)
                .allSatisfy((author, count) -> assertThat(count).isLessThan(posts.size() / 10));
    }

    @Test
    void coversTheTopicsOfTheSampleSearches() {
        // The sample searches show semantic matches, so the demo must hold posts on their topics.
        assertThat(posts).map(DemoPost::text)
                .anyMatch(text -> text.contains("sourdough starter"))
                .anyMatch(text -> text.contains("rail tickets"));
    }
}
