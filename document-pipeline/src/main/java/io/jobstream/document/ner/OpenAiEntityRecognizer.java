package io.jobstream.document.ner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.store.document.Mention;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds entities with an OpenAI chat model through a strict JSON-schema answer ({type, text} pairs).
 * The model gives no offsets, so every occurrence of each entity's text in the document becomes a
 * mention at its real position; an entity text that is not in the document is dropped.
 */
public final class OpenAiEntityRecognizer implements EntityRecognizer, AutoCloseable {

    public static final List<String> TYPES = List.of("PERSON", "ORGANIZATION", "LOCATION", "DATE", "MONEY", "PERCENT", "TIME");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INSTRUCTIONS = "List the named entities in the user's text. For each give its \"type\" ("
            + String.join(", ", TYPES) + ") and its \"text\" exactly as written in the document. List each entity once.";
    private static final Map<String, Object> SCHEMA = Map.of(
            "type", "object",
            "properties", Map.of("entities", Map.of("type", "array", "items", Map.of(
                    "type", "object",
                    "properties", Map.of("type", Map.of("type", "string", "enum", TYPES), "text", Map.of("type", "string")),
                    "required", List.of("type", "text"),
                    "additionalProperties", false))),
            "required", List.of("entities"),
            "additionalProperties", false);

    private final OpenAiStructuredChat chat;

    public OpenAiEntityRecognizer(OpenAiStructuredChat chat) {
        this.chat = chat;
    }

    @Override
    public List<Mention> recognize(String text) {
        String content = chat.complete(INSTRUCTIONS, text, "named_entities", SCHEMA);
        Answer answer;
        try {
            answer = JSON.readValue(content, Answer.class);
        } catch (JacksonException e) {
            throw chat.invalid("not an entities JSON object (" + e.getOriginalMessage() + ")");
        }
        if (answer.entities() == null) {
            throw chat.invalid("no \"entities\" array");
        }
        Set<Entity> entities = new LinkedHashSet<>();
        for (Entity entity : answer.entities()) {
            if (entity == null || !TYPES.contains(entity.type())) {
                throw chat.invalid("entity type " + (entity == null ? null : entity.type()) + " is not one of " + TYPES);
            }
            if (entity.text() != null && !entity.text().isBlank()) {
                entities.add(entity);
            }
        }
        List<Mention> mentions = new ArrayList<>();
        for (Entity entity : entities) {
            for (int at = text.indexOf(entity.text()); at >= 0; at = text.indexOf(entity.text(), at + entity.text().length())) {
                mentions.add(new Mention(entity.type(), entity.text(), at, at + entity.text().length()));
            }
        }
        mentions.sort(Comparator.comparingInt(Mention::start).thenComparingInt(Mention::end));
        return mentions;
    }

    @Override
    public String provider() {
        return "openai:" + chat.model();
    }

    private record Answer(List<Entity> entities) {
    }

    /** Spring calls this on shutdown (inferred destroy method): releases the HTTP client. */
    @Override
    public void close() {
        chat.close();
    }

    private record Entity(String type, String text) {
    }
}
