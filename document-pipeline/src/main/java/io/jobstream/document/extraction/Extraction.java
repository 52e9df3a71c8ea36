package io.jobstream.document.extraction;

import java.util.Map;

/** What Tika found in a file: its plain text, detected media type and metadata. */
public record Extraction(String text, String mediaType, Map<String, String> metadata) {

    public Extraction {
        metadata = Map.copyOf(metadata);
    }
}
