package io.jobstream.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.json.JsonMapper;

/** The queryable copy of content.posts. Writes are idempotent upserts keyed by post id. */
public final class PostRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;

    public PostRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void upsert(List<Post> posts) {
        jdbc.batchUpdate("""
                INSERT INTO content_posts (post_id, url, title, text, author, source, published_at, scraped_at,
                                           ingested_at, text_hash, metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (post_id) DO UPDATE SET
                    url = EXCLUDED.url, title = EXCLUDED.title, text = EXCLUDED.text, author = EXCLUDED.author,
                    source = EXCLUDED.source, published_at = EXCLUDED.published_at, scraped_at = EXCLUDED.scraped_at,
                    ingested_at = EXCLUDED.ingested_at, text_hash = EXCLUDED.text_hash, metadata = EXCLUDED.metadata
                """, posts, posts.size(), (statement, post) -> {
            statement.setString(1, post.postId());
            statement.setString(2, post.url());
            statement.setString(3, post.title());
            statement.setString(4, post.text());
            statement.setString(5, post.author());
            statement.setString(6, post.source());
            statement.setTimestamp(7, timestamp(post.publishedAt()));
            statement.setTimestamp(8, timestamp(post.scrapedAt()));
            statement.setTimestamp(9, timestamp(post.ingestedAt()));
            statement.setString(10, post.textHash());
            statement.setString(11, JSON.writeValueAsString(post.metadata()));
        });
    }

    /** Text and hash of the given posts; unknown ids are absent from the map. */
    public Map<String, PostText> texts(List<String> postIds) {
        if (postIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.query("SELECT post_id, text, text_hash FROM content_posts WHERE post_id = ANY (?)",
                        (rs, row) -> new PostText(rs.getString(1), rs.getString(2), rs.getString(3)),
                        (Object) postIds.toArray(String[]::new))
                .stream().collect(Collectors.toMap(PostText::postId, text -> text));
    }

    /** Posts with no embedding of their current text for {@code model}, oldest first. */
    public List<PostText> pending(String model, int limit) {
        return jdbc.query("""
                SELECT p.post_id, p.text, p.text_hash FROM content_posts p
                WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                                  WHERE e.entity_type = 'post' AND e.entity_id = p.post_id
                                    AND e.model = ? AND e.content_hash = p.text_hash)
                ORDER BY p.ingested_at, p.post_id
                LIMIT ?
                """, (rs, row) -> new PostText(rs.getString(1), rs.getString(2), rs.getString(3)), model, limit);
    }

    /** How many posts exist and how many have an embedding of their current text for {@code model}. */
    public PostCoverage coverage(String model) {
        return jdbc.queryForObject("""
                SELECT count(*),
                       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM embeddings e
                                                      WHERE e.entity_type = 'post' AND e.entity_id = p.post_id
                                                        AND e.model = ? AND e.content_hash = p.text_hash))
                FROM content_posts p
                """, (rs, row) -> new PostCoverage(rs.getLong(1), rs.getLong(2)), model);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public record PostText(String postId, String text, String textHash) {
    }

    public record PostCoverage(long totalPosts, long postsWithEmbeddings) {

        public double coveragePercent() {
            return totalPosts == 0 ? 0.0 : Math.round(10_000.0 * postsWithEmbeddings / totalPosts) / 100.0;
        }
    }
}
