package io.jobstream.document.classification;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jobstream.ai.chat.OpenAiStructuredChat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Classifies with an OpenAI chat model through a strict JSON-schema answer: the label and a score in
 * 0..1 for every configured label. The answer is checked, since a compatible server may not enforce
 * the schema: an unknown label, a missing score or one outside 0..1 fails the job permanently.
 */
public final class OpenAiClassifier implements DocumentClassifier, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenAiStructuredChat chat;
    private final Map<String, String> labels;
    private final int maxCharacters;
    private final String instructions;
    private final Map<String, Object> schema;

    /**
     * @param labels        label to a description of what documents under it are about
     * @param maxCharacters the leading characters of the document sent to the model
     */
    public OpenAiClassifier(OpenAiStructuredChat chat, Map<String, String> labels, int maxCharacters) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("jobstream.documents.classification.labels must name at least one label");
        }
        this.chat = chat;
        this.labels = new LinkedHashMap<>(labels);
        this.maxCharacters = maxCharacters;
        StringBuilder text = new StringBuilder("Classify the user's document under exactly one of these labels. "
                + "Give \"label\", the best label, and \"scores\", a score from 0 to 1 for every label "
                + "(how well the document fits it).\nLabels:\n");
        labels.forEach((label, description) -> text.append("- ").append(label).append(": ").append(description).append('\n'));
        this.instructions = text.toString();
        List<String> names = List.copyOf(labels.keySet());
        Map<String, Object> score = Map.of(
                "type", "object",
                "properties", Map.of("label", Map.of("type", "string", "enum", names), "score", Map.of("type", "number")),
                "required", List.of("label", "score"),
                "additionalProperties", false);
        this.schema = Map.of(
                "type", "object",
                "properties", Map.of("label", Map.of("type", "string", "enum", names),
                        "scores", Map.of("type", "array", "items", score)),
                "required", List.of("label", "scores"),
                "additionalProperties", false);
    }

    public String provider() {
        return "openai:" + chat.model();
    }

    @Override
    public Classification classify(String text) {
        String document = text.length() > maxCharacters ? text.substring(0, maxCharacters) : text;
        String content = chat.complete(instructions, document, "document_classification", schema);
        Answer answer;
        try {
            answer = JSON.readValue(content, Answer.class);
        } catch (JacksonException e) {
            throw chat.invalid("not a classification JSON object (" + e.getOriginalMessage() + ")");
        }
        if (answer.label() == null || !labels.containsKey(answer.label())) {
            throw chat.invalid("label " + answer.label() + " is not one of " + labels.keySet());
        }
        Map<String, Double> byLabel = new HashMap<>();
        for (Classification.Score score : answer.scores() == null ? List.<Classification.Score>of() : answer.scores()) {
            if (score == null || !labels.containsKey(score.label())) {
                throw chat.invalid("score for unknown label " + (score == null ? null : score.label()));
            }
            if (!(score.score() >= 0 && score.score() <= 1)) {
                throw chat.invalid("score " + score.score() + " for " + score.label() + " is outside 0..1");
            }
            byLabel.put(score.label(), score.score());
        }
        if (!byLabel.keySet().equals(labels.keySet())) {
            List<String> missing = labels.keySet().stream().filter(label -> !byLabel.containsKey(label)).toList();
            throw chat.invalid("no score for " + missing);
        }
        List<Classification.Score> scores = new ArrayList<>();
        byLabel.forEach((label, score) -> scores.add(new Classification.Score(label, score)));
        scores.sort(Comparator.comparingDouble(Classification.Score::score).reversed());
        return new Classification(answer.label(), scores, provider());
    }

    /** Spring calls this on shutdown (inferred destroy method): releases the HTTP client. */
    @Override
    public void close() {
        chat.close();
    }

    private record Answer(String label, List<Classification.Score> scores) {
    }
}
