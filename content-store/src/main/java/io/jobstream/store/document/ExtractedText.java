package io.jobstream.store.document;

import java.util.Map;

/** A document's text as extracted, with the media type and metadata the extractor found. */
public record ExtractedText(String documentId, String text, String mediaType, Map<String, String> metadata) {

    public ExtractedText {
        metadata = Map.copyOf(metadata);
    }
}
