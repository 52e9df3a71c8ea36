package io.jobstream.ingest.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import tools.jackson.databind.JsonNode;

/**
 * One chat message as seed 001's routes take it, validated: every problem is a 400 naming the field.
 *
 * @param sessionId null: the job gets a new session
 */
record ChatMessageInput(String message, String sessionId, List<Turn> history, String userId, Map<String, String> metadata) {

    static final int MAX_MESSAGE_CHARS = 10_000;
    static final int MAX_ID_CHARS = 200;
    static final int MAX_HISTORY = 100;
    static final int MAX_METADATA = 50;
    private static final Set<String> ROLES = Set.of("user", "assistant");

    record Turn(String role, String content) {
    }

    /** {@code POST /agent/queue/chat}'s body. */
    static ChatMessageInput read(JsonNode body) {
        return read(JsonFields.of(body), body, "");
    }

    /** An item of {@code messages} in a batch ({@code prefix} e.g. {@code messages[2].}), with the batch's user. */
    static ChatMessageInput readItem(JsonNode item, String prefix, String batchUserId) {
        if (item == null || !item.isObject()) {
            throw new BadRequestException(prefix.substring(0, prefix.length() - 1), "must be an object with a message");
        }
        ChatMessageInput input = read(JsonFields.of(item), item, prefix);
        return input.userId() != null ? input
                : new ChatMessageInput(input.message(), input.sessionId(), input.history(), batchUserId, input.metadata());
    }

    private static ChatMessageInput read(JsonFields fields, JsonNode body, String prefix) {
        String message;
        String sessionId;
        String userId;
        Map<String, String> metadata;
        try {
            message = fields.requiredText("message", MAX_MESSAGE_CHARS);
            sessionId = fields.text("sessionId", MAX_ID_CHARS);
            userId = fields.text("userId", MAX_ID_CHARS);
            metadata = fields.textMap("metadata", MAX_METADATA, 1_000);
        } catch (BadRequestException e) {
            throw new BadRequestException(prefix + e.field(), e.reason());
        }
        if (sessionId != null && sessionId.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException(prefix + "sessionId", "must not contain control characters");
        }
        return new ChatMessageInput(message, sessionId, history(body == null ? null : body.get("conversationHistory"), prefix),
                userId, metadata);
    }

    private static List<Turn> history(JsonNode value, String prefix) {
        String field = prefix + "conversationHistory";
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new BadRequestException(field, "must be an array of {role, content}");
        }
        if (value.size() > MAX_HISTORY) {
            throw new BadRequestException(field, "must have at most " + MAX_HISTORY + " messages, got " + value.size());
        }
        List<Turn> turns = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String item = field + "[" + i + "]";
            JsonNode turn = value.get(i);
            if (!turn.isObject()) {
                throw new BadRequestException(item, "must be an object with role and content");
            }
            String role = turn.path("role").isString() ? turn.path("role").stringValue() : null;
            if (role == null || !ROLES.contains(role)) {
                throw new BadRequestException(item + ".role", "must be \"user\" or \"assistant\"");
            }
            JsonNode content = turn.get("content");
            if (content == null || !content.isString()) {
                throw new BadRequestException(item + ".content", "must be a string");
            }
            if (content.stringValue().length() > MAX_MESSAGE_CHARS) {
                throw new BadRequestException(item + ".content", "must be at most " + MAX_MESSAGE_CHARS + " characters");
            }
            turns.add(new Turn(role, content.stringValue()));
        }
        return turns;
    }
}
