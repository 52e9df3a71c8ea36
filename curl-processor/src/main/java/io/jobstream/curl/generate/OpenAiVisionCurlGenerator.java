package io.jobstream.curl.generate;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;



import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI option: a vision-capable chat model reads the screenshot (an image input part, as a
 * base64 data URL) and answers with the endpoints in a strict JSON schema. The answer is validated
 * here; one that breaks the schema is a permanent failure. The curl commands are rendered from the
 * answer's fields, so they are runnable whatever the model writes. The request is the shared
 * {@link OpenAiStructuredChat}'s, with the image as its input part.
 */
public final class OpenAiVisionCurlGenerator implements CurlGenerator, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final String INSTRUCTIONS = "You document HTTP APIs. The image is a screenshot of an API documentation page. "
            + "List every HTTP endpoint visible on it: method, absolute URL (resolve paths against the page's base URL when "
            + "it shows one), request headers, a request body example (JSON text, or null when there is none) and one "
            + "sentence on what it does. Also describe the page in one sentence. Only report what the image shows.";
    static final Map<String, Object> SCHEMA = Map.of(
            "type", "object",
            "additionalProperties", false,
            "required", List.of("description", "endpoints"),
            "properties", Map.of(
                    "description", Map.of("type", "string"),
                    "endpoints", Map.of("type", "array", "items", Map.of(
                            "type", "object",
                            "additionalProperties", false,
                            "required", List.of("method", "url", "headers", "body", "description"),
                            "properties", Map.of(
                                    "method", Map.of("type", "string", "enum", List.copyOf(METHODS)),
                                    "url", Map.of("type", "string"),
                                    "headers", Map.of("type", "array", "items", Map.of(
                                            "type", "object",
                                            "additionalProperties", false,
                                            "required", List.of("name", "value"),
                                            "properties", Map.of("name", Map.of("type", "string"),
                                                    "value", Map.of("type", "string")))),
                                    "body", Map.of("type", List.of("string", "null")),
                                    "description", Map.of("type", "string"))))));

    private final OpenAiStructuredChat chat;

    public OpenAiVisionCurlGenerator(OpenAiStructuredChat chat) {
        this.chat = chat;
    }

    @Override
    public ApiDocumentation generate(Screenshot screenshot) {
        long started = System.nanoTime();
        String dataUrl = "data:" + screenshot.contentType() + ";base64," + Base64.getEncoder().encodeToString(screenshot.image());
        String page = "Page: " + (screenshot.pageTitle() == null ? "" : screenshot.pageTitle() + " ") + "(" + screenshot.pageUrl() + ")";
        String answer = chat.complete(INSTRUCTIONS, page, List.of(dataUrl), "api_documentation", SCHEMA);
        return parse(answer, System.nanoTime() - started);
    }

    private ApiDocumentation parse(String answer, long nanos) {
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (JacksonException e) {
            throw chat.invalid("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("description").isString() || !root.path("endpoints").isArray()) {
            throw chat.invalid("expected {description: string, endpoints: array}");
        }
        List<ApiEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < root.get("endpoints").size(); i++) {
            endpoints.add(endpoint(root.get("endpoints").get(i), "endpoints[" + i + "]"));
        }
        if (endpoints.isEmpty()) {
            throw new PermanentJobException("the model found no HTTP endpoint in the screenshot: " + root.get("description").asString());
        }
        return new ApiDocumentation(root.get("description").asString(), endpoints, "openai:" + chat.model(), null, List.of(),
                nanos / 1_000_000);
    }

    private ApiEndpoint endpoint(JsonNode node, String path) {
        String method = node.path("method").asString("");
        String url = node.path("url").asString("");
        if (!METHODS.contains(method)) {
            throw chat.invalid(path + ".method must be an HTTP method, got '" + method + "'");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("/")) {
            throw chat.invalid(path + ".url must be a URL or a path, got '" + url + "'");
        }
        if (!node.path("headers").isArray() || !node.path("description").isString()
                || !(node.path("body").isString() || node.path("body").isNull())) {
            throw chat.invalid(path + " must have headers (array), body (string or null) and description (string)");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (JsonNode header : node.get("headers")) {
            if (!header.path("name").isString() || !header.path("value").isString()) {
                throw chat.invalid(path + ".headers must be {name, value} strings");
            }
            headers.put(header.get("name").asString(), header.get("value").asString());
        }
        return new ApiEndpoint(method, url, headers, body(node.get("body")), node.get("description").asString());
    }

    /** A JSON body is compacted, like the OCR path's; other text is kept as the model wrote it. */
    private static String body(JsonNode body) {
        if (body.isNull()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(JSON.readTree(body.asString()));
        } catch (JacksonException notJson) {
            return body.asString();
        }
    }

    @Override
    public void close() {
        chat.close();
    }
}
