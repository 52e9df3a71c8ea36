package io.jobstream.ingest.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Strict reads of a JSON request body's fields: every error is a {@link BadRequestException}
 * naming the field (with its index or key inside arrays and objects) and the reason. Absent and
 * {@code null} fields read as null; unknown fields are ignored.
 */
public final class JsonFields {

    private final JsonNode body;

    private JsonFields(JsonNode body) {
        this.body = body;
    }

    /** The fields of {@code body}; no body at all reads as an empty object. */
    public static JsonFields of(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new JsonFields(null);
        }
        if (!body.isObject()) {
            throw new BadRequestException("body", "must be a JSON object");
        }
        return new JsonFields(body);
    }

    public boolean has(String field) {
        return value(field) != null;
    }

    /** A non-blank string of at most {@code maxChars}, or null when absent. */
    public String text(String field, int maxChars) {
        JsonNode value = value(field);
        return value == null ? null : text(field, value, maxChars);
    }

    public String requiredText(String field, int maxChars) {
        String value = text(field, maxChars);
        if (value == null) {
            throw new BadRequestException(field, "is required");
        }
        return value;
    }

    /** true or false, or null when absent. */
    public Boolean bool(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException(field, "must be true or false");
        }
        return value.booleanValue();
    }

    /** A whole number in {@code [min, max]}, or null when absent. */
    public Long wholeNumber(String field, long min, long max) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadRequestException(field, "must be a whole number");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw new BadRequestException(field, "must be between " + min + " and " + max + ", got " + number);
        }
        return number;
    }

    /** An array of 1 to {@code maxItems} non-blank strings, or null when absent. */
    public List<String> textList(String field, int maxItems, int maxChars) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw new BadRequestException(field, "must be an array of strings");
        }
        if (value.isEmpty()) {
            throw new BadRequestException(field, "must not be empty");
        }
        if (value.size() > maxItems) {
            throw new BadRequestException(field, "must have at most " + maxItems + " items, got " + value.size());
        }
        List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String item = field + "[" + i + "]";
            if (value.get(i) == null || value.get(i).isNull()) {
                throw new BadRequestException(item, "must be a string");
            }
            items.add(text(item, value.get(i), maxChars));
        }
        return items;
    }

    /** An object of string values, or an empty map when absent. */
    public Map<String, String> textMap(String field, int maxEntries, int maxChars) {
        JsonNode value = value(field);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new BadRequestException(field, "must be an object of string values");
        }
        if (value.size() > maxEntries) {
            throw new BadRequestException(field, "must have at most " + maxEntries + " entries, got " + value.size());
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String name = field + "." + entry.getKey();
            if (!entry.getValue().isString()) {
                throw new BadRequestException(name, "must be a string");
            }
            if (entry.getValue().stringValue().length() > maxChars) {
                throw new BadRequestException(name, "must be at most " + maxChars + " characters");
            }
            entries.put(entry.getKey(), entry.getValue().stringValue());
        }
        return entries;
    }

    private JsonNode value(String field) {
        if (body == null) {
            return null;
        }
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String text(String field, JsonNode value, int maxChars) {
        if (!value.isString()) {
            throw new BadRequestException(field, "must be a string");
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            throw new BadRequestException(field, "must not be blank");
        }
        if (text.length() > maxChars) {
            throw new BadRequestException(field, "must be at most " + maxChars + " characters, got " + text.length());
        }
        return text;
    }
}
