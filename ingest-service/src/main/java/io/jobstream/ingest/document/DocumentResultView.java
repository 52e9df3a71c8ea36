package io.jobstream.ingest.document;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.jobstream.store.document.DocumentSummary;
import io.jobstream.store.document.Mention;

/**
 * What the pipeline made of one document (seed 002's results): its file, classification, entities
 * with every mention's offsets in the extracted text, and how many chunks were embedded.
 */
public record DocumentResultView(String documentId, File file, Classification classification, List<Entity> entities,
                                 int entityCount, int mentionCount, String nerProvider, int chunkCount, Instant ingestedAt) {

    /** @param metadata what extraction read from the file (title, author, pages, ...) */
    public record File(String fileName, String mediaType, int characters, Map<String, String> metadata) {
    }

    /** @param scores every label's score, best first */
    public record Classification(String label, double score, Map<String, Double> scores, String provider) {
    }

    public record Entity(String type, String text, int count, List<Offsets> mentions) {
    }

    /** [start, end) in the extracted text. */
    public record Offsets(int start, int end) {
    }

    /** A document in a listing: no entities or file metadata. */
    public record Listed(String documentId, String fileName, String mediaType, int characters, String label, double score,
                         String provider, int chunkCount, Instant ingestedAt) {

        static Listed of(DocumentSummary document) {
            return new Listed(document.documentId(), document.fileName(), document.mediaType(), document.characters(),
                    document.label(), document.labelScore(), document.classificationProvider(), document.chunkCount(),
                    document.ingestedAt());
        }
    }

    static DocumentResultView of(DocumentSummary document, List<Mention> mentions, Map<String, String> metadata) {
        Map<List<String>, List<Mention>> byEntity = mentions.stream()
                .collect(Collectors.groupingBy(m -> List.of(m.type(), m.text()), LinkedHashMap::new, Collectors.toList()));
        List<Entity> entities = byEntity.entrySet().stream()
                .map(e -> new Entity(e.getKey().get(0), e.getKey().get(1), e.getValue().size(),
                        e.getValue().stream().map(m -> new Offsets(m.start(), m.end())).toList()))
                .sorted(Comparator.comparingInt(Entity::count).reversed().thenComparing(Entity::type).thenComparing(Entity::text))
                .toList();
        Map<String, Double> scores = new LinkedHashMap<>();
        document.scores().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> scores.put(e.getKey(), e.getValue()));
        return new DocumentResultView(document.documentId(),
                new File(document.fileName(), document.mediaType(), document.characters(), metadata),
                new Classification(document.label(), document.labelScore(), scores, document.classificationProvider()),
                entities, entities.size(), mentions.size(), document.nerProvider(), document.chunkCount(), document.ingestedAt());
    }
}
