package io.jobstream.ingest.content;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jobstream.core.content.TextHash;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.embedding.EmbeddingJob;
import io.jobstream.ingest.submit.JobIds;
import tools.jackson.databind.JsonNode;

/**
 * Scraper dataset items (Apify-style) → {@link ScrapedPost}s. Actors name fields differently, so
 * each field has aliases, taken in order: the post id from {@code id} / {@code postId} (else derived
 * from the url), the text from {@code text} / {@code content} / {@code caption}, the author from
 * {@code author} / {@code ownerUsername}, the publication time from {@code timestamp} /
 * {@code publishedAt}. Every other field is kept in the post's metadata as a string.
 */
final class DatasetItems {

    private static final List<String> ID = List.of("id", "postId");
    private static final List<String> TEXT = List.of("text", "content", "caption");
    private static final List<String> AUTHOR = List.of("author", "ownerUsername");
    private static final List<String> PUBLISHED_AT = List.of("timestamp", "publishedAt");
    private static final List<String> SCRAPED_AT = List.of("scrapedAt");
    private static final List<String> URL = List.of("url");
    private static final List<String> TITLE = List.of("title");
    private static final List<String> SOURCE = List.of("source");
    /** 128 bits of the url's hash: unique in practice, short enough to read. */
    private static final int DERIVED_ID_HEX_CHARS = 32;
    /** With the text's own limit, these keep one post's record well under Kafka's 1 MB record limit. */
    private static final int MAX_METADATA_CHARS = 64 * 1024;
    private static final int MAX_FIELD_CHARS = 10_000;

    private DatasetItems() {
    }

    /** A JSON array of items, or an object with an {@code items} array. */
    static List<JsonNode> of(JsonNode root) {
        JsonNode items = root.isObject() ? root.get("items") : root;
        String field = root.isObject() ? "items" : "body";
        if (items == null || !items.isArray()) {
            throw new BadRequestException(field, "must be a JSON array of items, or an object with an items array");
        }
        if (items.isEmpty()) {
            throw new BadRequestException(field, "must contain at least one item");
        }
        return List.copyOf(items.values());
    }

    /** An item read: a post, or everything wrong with it. */
    sealed interface Item {
        record Valid(ScrapedPost post) implements Item {
        }

        record Invalid(List<ItemError> errors) implements Item {
        }
    }

    /**
     * Every item read, in order.
     *
     * @param rejected items rejected (an item may have several errors)
     */
    record Read(List<ScrapedPost> posts, int rejected, List<ItemError> errors) {
    }

    /** Reads every item; a post id seen before is rejected, since one transaction must not add a job id twice. */
    static Read readAll(List<JsonNode> items) {
        List<ScrapedPost> posts = new ArrayList<>(items.size());
        List<ItemError> errors = new ArrayList<>();
        Map<String, Integer> firstIndexOfPost = new HashMap<>();
        int rejected = 0;
        for (int index = 0; index < items.size(); index++) {
            switch (read(index, items.get(index))) {
                case Item.Valid(ScrapedPost post) -> {
                    Integer first = firstIndexOfPost.putIfAbsent(post.postId(), index);
                    if (first == null) {
                        posts.add(post);
                    } else {
                        errors.add(new ItemError(index, post.postId(), "id", "duplicate of item " + first));
                        rejected++;
                    }
                }
                case Item.Invalid(List<ItemError> problems) -> {
                    errors.addAll(problems);
                    rejected++;
                }
            }
        }
        return new Read(posts, rejected, errors);
    }

    private static Item read(int index, JsonNode item) {
        if (!item.isObject()) {
            return new Item.Invalid(List.of(new ItemError(index, null, "item", "must be a JSON object")));
        }
        return new ItemReader(index, item).read();
    }

    /** Reads one item's fields, removing each from {@code rest} so what remains is metadata. */
    private static final class ItemReader {

        private final int index;
        private final Map<String, JsonNode> rest = new LinkedHashMap<>();
        private final Map<String, String> problems = new LinkedHashMap<>();

        ItemReader(int index, JsonNode item) {
            this.index = index;
            item.properties().stream()
                    .filter(field -> !field.getValue().isNull())
                    .forEach(field -> rest.put(field.getKey(), field.getValue()));
        }

        Item read() {
            String url = scalar(URL);
            String postId = postId(url);
            String text = text();
            String title = scalar(TITLE);
            String author = scalar(AUTHOR);
            String source = scalar(SOURCE);
            Instant publishedAt = instant(PUBLISHED_AT);
            Instant scrapedAt = instant(SCRAPED_AT);
            Map<String, String> metadata = metadata();
            if (problems.isEmpty()) {
                return new Item.Valid(new ScrapedPost(postId, url, title, text, author, source, publishedAt, scrapedAt, metadata));
            }
            return new Item.Invalid(problems.entrySet().stream()
                    .map(problem -> new ItemError(index, postId, problem.getKey(), problem.getValue()))
                    .toList());
        }

        private String postId(String url) {
            Optional<String> field = first(ID);
            if (field.isEmpty()) {
                if (url == null) {
                    problems.put("id", "is required: give id, postId or url");
                    return null;
                }
                return "url:" + TextHash.of(url).substring(0, DERIVED_ID_HEX_CHARS);
            }
            JsonNode value = rest.remove(field.get());
            if (!value.isString() && !value.isIntegralNumber()) {
                problems.put(field.get(), "must be a string or a whole number");
                return null;
            }
            String id = value.asString();
            Optional<String> problem = JobIds.problem(id);
            problem.ifPresent(reason -> problems.put(field.get(), reason));
            return problem.isPresent() ? null : id;
        }

        /** The first alias holding non-blank text; an alias holding anything else is an error when none does. */
        private String text() {
            Optional<String> chosen = TEXT.stream().filter(alias -> isText(rest.get(alias))).findFirst();
            if (chosen.isEmpty()) {
                Optional<String> present = first(TEXT);
                problems.put(present.orElse("text"), present.isPresent()
                        ? "must be non-blank text"
                        : "is required (text, content or caption)");
                return null;
            }
            String text = rest.remove(chosen.get()).stringValue();
            if (text.getBytes(StandardCharsets.UTF_8).length > EmbeddingJob.MAX_TEXT_BYTES) {
                problems.put(chosen.get(), "must be at most " + EmbeddingJob.MAX_TEXT_BYTES / 1024 + " KB of UTF-8");
                return null;
            }
            return text;
        }

        /** A scalar as text (blank reads as absent); an object or array is left for the metadata. */
        private String scalar(List<String> aliases) {
            for (String alias : aliases) {
                JsonNode value = rest.get(alias);
                if (value != null && value.isValueNode()) {
                    rest.remove(alias);
                    String text = value.asString();
                    if (text.length() > MAX_FIELD_CHARS) {
                        problems.put(alias, "must be at most " + MAX_FIELD_CHARS + " characters, got " + text.length());
                        return null;
                    }
                    return text.isBlank() ? null : text;
                }
            }
            return null;
        }

        private Instant instant(List<String> aliases) {
            Optional<String> field = first(aliases);
            if (field.isEmpty()) {
                return null;
            }
            Optional<Instant> instant = Timestamps.parse(rest.remove(field.get()));
            if (instant.isEmpty()) {
                problems.put(field.get(), "must be an ISO-8601 date-time or epoch milliseconds");
            }
            return instant.orElse(null);
        }

        /** Everything no field took (so it is read last): text as is, numbers and booleans as written, objects and arrays as JSON. */
        private Map<String, String> metadata() {
            Map<String, String> metadata = new LinkedHashMap<>();
            long chars = 0;
            for (Map.Entry<String, JsonNode> field : rest.entrySet()) {
                String value = field.getValue().isString() ? field.getValue().stringValue() : field.getValue().toString();
                metadata.put(field.getKey(), value);
                chars += field.getKey().length() + value.length();
            }
            if (chars > MAX_METADATA_CHARS) {
                problems.put("metadata", "the item's other fields must be at most " + MAX_METADATA_CHARS
                        + " characters in all, got " + chars);
            }
            return metadata;
        }

        private static boolean isText(JsonNode value) {
            return value != null && value.isString() && !value.stringValue().isBlank();
        }

        private Optional<String> first(List<String> aliases) {
            return aliases.stream().filter(rest::containsKey).findFirst();
        }
    }
}
