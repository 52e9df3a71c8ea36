package io.jobstream.store.document;

import java.time.Instant;
import java.util.Map;

/** A document's results without its mentions: what listings show, and the head of a document's page. */
public record DocumentSummary(String documentId, String fileName, String mediaType, int characters, String label,
                              double labelScore, Map<String, Double> scores, String classificationProvider,
                              String nerProvider, int chunkCount, Instant ingestedAt) {

    public DocumentSummary {
        scores = Map.copyOf(scores);
    }
}
