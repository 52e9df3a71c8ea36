package io.jobstream.curl.generate;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.jobstream.ai.chat.OpenAiChatClient;
import io.jobstream.ai.embedding.OpenAiFailures;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI option: a vision-capable chat model reads the screenshot (an image input part, as a
 * base64 data URL) and answers with the endpoints in a strict JSON schema. The answer is validated
 * here; one that breaks the schema is a permanent failure. The curl commands are rendered from the
 * answer's fields, so they are runnable whatever the model writes. SDK types (Jackson 2) stay in
 * this class.
 */
public final class OpenAiVisionCurlGenerator implements CurlGenerator, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenAiVisionCurlGenerator.class);
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

    private final OpenAIClient client;
    private final String model;
    private final String endpoint;

    public OpenAiVisionCurlGenerator(OpenAiChatClient openAi) {
        this.client = openAi.client();
        this.model = openAi.model();
        this.endpoint = openAi.endpoint();
        log.info("curl generation by an OpenAI vision model model={} baseUrl={}", model, openAi.baseUrl());
    }

    @Override
    public ApiDocumentation generate(Screenshot screenshot) {
        long started = System.nanoTime();
        String dataUrl = "data:" + screenshot.contentType() + ";base64," + Base64.getEncoder().encodeToString(screenshot.image());
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        SCHEMA.forEach((key, value) -> schema.putAdditionalProperty(key, JsonValue.from(value)));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(INSTRUCTIONS)
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("Page: " + (screenshot.pageTitle() == null ? "" : screenshot.pageTitle() + " ")
                                        + "(" + screenshot.pageUrl() + ")")
                                .build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build())
                                .build())))
                .responseFormat(ResponseFormatJsonSchema.builder()
                        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                .name("api_documentation")
                                .strict(true)
                                .schema(schema.build())
                                .build())
                        .build())
                .build();
        ChatCompletion completion;
        try {
            // Parsing is lazy in the SDK: validate inside the try so a malformed answer is classified too.
            completion = client.chat().completions().create(params).validate();
        } catch (OpenAIException e) {
            throw OpenAiFailures.classify(e, endpoint);
        }
        if (completion.choices().isEmpty()) {
            throw invalid("no choices");
        }
        String answer = completion.choices().getFirst().message().content()
                .orElseThrow(() -> invalid("no content (refusal or empty answer)"));
        return parse(answer, System.nanoTime() - started);
    }

    private ApiDocumentation parse(String answer, long nanos) {
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (JacksonException e) {
            throw invalid("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("description").isString() || !root.path("endpoints").isArray()) {
            throw invalid("expected {description: string, endpoints: array}");
        }
        List<ApiEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < root.get("endpoints").size(); i++) {
            endpoints.add(endpoint(root.get("endpoints").get(i), "endpoints[" + i + "]"));
        }
        if (endpoints.isEmpty()) {
            throw new PermanentJobException(endpoint + " found no HTTP endpoint in the screenshot: " + root.get("description").asString());
        }
        return new ApiDocumentation(root.get("description").asString(), endpoints, "openai:" + model, null, List.of(),
                nanos / 1_000_000);
    }

    private ApiEndpoint endpoint(JsonNode node, String path) {
        String method = node.path("method").asString("");
        String url = node.path("url").asString("");
        if (!METHODS.contains(method)) {
            throw invalid(path + ".method must be an HTTP method, got '" + method + "'");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("/")) {
            throw invalid(path + ".url must be a URL or a path, got '" + url + "'");
        }
        if (!node.path("headers").isArray() || !node.path("description").isString()
                || !(node.path("body").isString() || node.path("body").isNull())) {
            throw invalid(path + " must have headers (array), body (string or null) and description (string)");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (JsonNode header : node.get("headers")) {
            if (!header.path("name").isString() || !header.path("value").isString()) {
                throw invalid(path + ".headers must be {name, value} strings");
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

    private PermanentJobException invalid(String reason) {
        return new PermanentJobException(endpoint + " returned an invalid answer: " + reason);
    }

    @Override
    public void close() {
        client.close();
    }
}
