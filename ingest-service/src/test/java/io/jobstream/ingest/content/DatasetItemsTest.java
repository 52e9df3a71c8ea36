package io.jobstream.ingest.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.core.content.TextHash;
import io.jobstream.ingest.api.BadRequestException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How leniently dataset items are read, without a server. */
class DatasetItemsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aliasesAreTakenInOrderAndTheRestIsMetadata() {
        DatasetItems.Read read = read("""
                [{"postId": "p1", "content": "from content", "caption": "unused caption", "ownerUsername": "owner",
                  "publishedAt": "2025-10-15T20:20:00+02:00", "views": 10, "tags": {"a": 1}, "empty": null}]""");

        ScrapedPost post = read.posts().getFirst();
        assertThat(post.postId()).isEqualTo("p1");
        assertThat(post.text()).isEqualTo("from content");
        assertThat(post.author()).isEqualTo("owner");
        assertThat(post.publishedAt()).isEqualTo(Instant.parse("2025-10-15T18:20:00Z"));
        assertThat(post.metadata()).containsExactly(
                Map.entry("caption", "unused caption"),
                Map.entry("views", "10"),
                Map.entry("tags", "{\"a\":1}"));
    }

    @Test
    void aBlankFirstAliasFallsBackToTheNextOne() {
        ScrapedPost post = read("[{\"id\": 7, \"text\": \"\", \"caption\": \"caption text\"}]").posts().getFirst();

        assertThat(post.postId()).isEqualTo("7");
        assertThat(post.text()).isEqualTo("caption text");
        assertThat(post.metadata()).containsEntry("text", "");
    }

    @Test
    void timestampsAreIsoOrEpochMillis() {
        assertThat(published("\"2025-10-15T18:20:00.123Z\"")).isEqualTo(Instant.parse("2025-10-15T18:20:00.123Z"));
        assertThat(published("\"2025-10-15T18:20:00\"")).isEqualTo(Instant.parse("2025-10-15T18:20:00Z"));
        assertThat(published("\"2025-10-15\"")).isEqualTo(Instant.parse("2025-10-15T00:00:00Z"));
        assertThat(published("1729016400000")).isEqualTo(Instant.ofEpochMilli(1_729_016_400_000L));
        assertThat(published("\"1729016400000\"")).isEqualTo(Instant.ofEpochMilli(1_729_016_400_000L));
        assertThat(read("[{\"id\": \"x\", \"text\": \"t\", \"timestamp\": 1.5}]").errors())
                .extracting(ItemError::field).containsExactly("timestamp");
    }

    @Test
    void theUrlNamesAPostWithoutAnId() {
        ScrapedPost post = read("[{\"url\": \"https://example.com/a\", \"text\": \"t\"}]").posts().getFirst();

        assertThat(post.postId()).isEqualTo("url:" + TextHash.of("https://example.com/a").substring(0, 32));
    }

    @Test
    void everyProblemOfAnItemIsReported() {
        DatasetItems.Read read = read("[{\"id\": {\"nested\": true}, \"text\": 3, \"scrapedAt\": \"soon\"}]");

        assertThat(read.posts()).isEmpty();
        assertThat(read.rejected()).isEqualTo(1);
        assertThat(read.errors()).extracting(ItemError::field).containsExactly("id", "text", "scrapedAt");
    }

    @Test
    void theBodyMustHoldItems() {
        assertThatThrownBy(() -> DatasetItems.of(JSON.readTree("{\"data\": []}")))
                .isInstanceOf(BadRequestException.class).hasMessageStartingWith("items:");
        assertThat(DatasetItems.of(JSON.readTree("{\"items\": [1, 2]}"))).hasSize(2);
    }

    private static Instant published(String value) {
        return read("[{\"id\": \"x\", \"text\": \"t\", \"timestamp\": " + value + "}]").posts().getFirst().publishedAt();
    }

    private static DatasetItems.Read read(String json) {
        List<JsonNode> items = DatasetItems.of(JSON.readTree(json));
        return DatasetItems.readAll(items);
    }
}
