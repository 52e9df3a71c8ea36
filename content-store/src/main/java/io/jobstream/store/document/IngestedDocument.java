package io.jobstream.store.document;

import java.util.List;
import java.util.Map;

/**
 * A document as ingested: its classification, entity mentions and how many chunks were sent for
 * embedding.
 *
 * @param classificationProvider who chose the label (e.g. {@code zero-shot}, {@code openai:gpt-4o-mini})
 * @param nerProvider            who found the entities
 */
public record IngestedDocument(String documentId, String fileName, String mediaType, int characters, String label,
                               double labelScore, Map<String, Double> scores, int chunkCount, List<Mention> mentions,
                               String classificationProvider, String nerProvider) {

    public IngestedDocument {
        scores = Map.copyOf(scores);
        mentions = List.copyOf(mentions);
    }
}
