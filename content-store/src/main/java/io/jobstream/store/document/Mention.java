package io.jobstream.store.document;

/** One occurrence of a named entity: its type, surface text and character offsets [start, end). */
public record Mention(String type, String text, int start, int end) {
}
