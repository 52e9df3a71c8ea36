package io.jobstream.ai.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

import io.jobstream.ai.embedding.OpenAiFailures;
import io.jobstream.core.retry.PermanentJobException;

/**
 * One chat completion whose answer must follow a JSON schema (OpenAI structured output, strict),
 * shared by every OpenAI structured use (document classifier and entity recognizer, product enricher,
 * curl generation from screenshots). Settings are the chat ones
 * ({@code jobstream.chat.openai.*}) so one key configures every OpenAI use. The SDK's retries are off:
 * 429/5xx fail the attempt as transient and the queue's retry topic schedules the next one. SDK types
 * (Jackson 2) stay in this class; callers get the answer's JSON text.
 */
public final class OpenAiStructuredChat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenAiStructuredChat.class);

    private final OpenAIClient client;
    private final String model;
    private final String endpoint;

    public OpenAiStructuredChat(ChatProperties.OpenAi settings, String usedBy) {
        OpenAiChatClient openAi = OpenAiChatClient.of(settings, "when " + usedBy + " is openai");
        this.client = openAi.client();
        this.model = openAi.model();
        this.endpoint = openAi.endpoint();
        log.info("openai structured output configured for={} model={} baseUrl={}", usedBy, model, openAi.baseUrl());
    }

    public String model() {
        return model;
    }

    /** The assistant's answer to {@code text}, JSON following {@code schema}; failures as transient/permanent. */
    public String complete(String instructions, String text, String schemaName, Map<String, Object> schema) {
        return complete(instructions, text, List.of(), schemaName, schema);
    }

    /**
     * The same for a vision-capable model: {@code imageUrls} (data URLs such as
     * {@code data:image/png;base64,…}, or URLs) go as image input parts after the text.
     */
    public String complete(String instructions, String text, List<String> imageUrls, String schemaName, Map<String, Object> schema) {
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder body = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.forEach((key, value) -> body.putAdditionalProperty(key, JsonValue.from(value)));
        ChatCompletionCreateParams.Builder request = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(instructions);
        if (imageUrls.isEmpty()) {
            request.addUserMessage(text);
        } else {
            List<ChatCompletionContentPart> parts = new ArrayList<>();
            parts.add(ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(text).build()));
            imageUrls.forEach(url -> parts.add(ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(url).build())
                    .build())));
            request.addUserMessageOfArrayOfContentParts(parts);
        }
        ChatCompletionCreateParams params = request
                .responseFormat(ResponseFormatJsonSchema.builder()
                        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                .name(schemaName)
                                .strict(true)
                                .schema(body.build())
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
            throw new PermanentJobException(endpoint + " returned no choices");
        }
        return completion.choices().getFirst().message().content()
                .orElseThrow(() -> new PermanentJobException(endpoint + " returned no content (refusal or empty answer)"));
    }

    /** What a structured answer failed on, naming the endpoint. */
    public PermanentJobException invalid(String reason) {
        return new PermanentJobException(endpoint + " returned an invalid answer: " + reason);
    }

    @Override
    public void close() {
        client.close();
    }
}
