package io.jobstream.agent.tools;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The model's JSON arguments for a tool; a problem is reported back to the model, not thrown to the job. */
final class ToolArguments {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolArguments() {
    }

    static JsonNode parse(String json) {
        try {
            JsonNode node = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
            if (!node.isObject()) {
                throw new IllegalArgumentException("arguments must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("arguments are not valid JSON");
        }
    }

    static String requiredText(JsonNode arguments, String field) {
        JsonNode value = arguments.get(field);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required and must be a non-blank string");
        }
        return value.stringValue();
    }
}
