package io.jobstream.catalog.enrichment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.core.content.ProductText;
import io.jobstream.store.product.StoredProduct;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enrichment by an OpenAI model (or any OpenAI-compatible server) with strict structured output:
 * a category of the taxonomy, tags, one list per configured attribute and a short description. The
 * answer is checked; an invalid one fails the job permanently.
 */
public final class OpenAiProductEnricher implements ProductEnricher, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenAiStructuredChat chat;
    private final Map<String, String> taxonomy;
    private final List<String> attributeNames;
    private final int maxTags;
    private final int maxDescriptionChars;
    private final String instructions;
    private final Map<String, Object> schema;

    public OpenAiProductEnricher(ChatProperties.OpenAi settings, Map<String, String> taxonomy, Map<String, List<String>> attributes,
                                 int maxTags, int maxDescriptionChars) {
        this.chat = new OpenAiStructuredChat(settings, "jobstream.catalog.enrichment.provider");
        this.taxonomy = new TreeMap<>(taxonomy);
        this.attributeNames = List.copyOf(new TreeMap<>(attributes).keySet());
        this.maxTags = maxTags;
        this.maxDescriptionChars = maxDescriptionChars;
        StringBuilder text = new StringBuilder("You enrich products of a gift shop's catalogue. For the user's product give "
                + "\"category\", exactly one of the categories below; \"tags\", up to " + maxTags + " short lower-case "
                + "shopping tags; \"attributes\", for each attribute the values that apply (empty when none), preferring "
                + "the listed words; and \"description\", a marketing description of at most " + maxDescriptionChars
                + " characters that claims nothing the product text does not say.\nCategories:\n");
        this.taxonomy.forEach((category, description) -> text.append("- ").append(category).append(": ").append(description).append('\n'));
        text.append("Attributes:\n");
        new TreeMap<>(attributes).forEach((name, words) -> text.append("- ").append(name).append(": ").append(String.join(", ", words)).append('\n'));
        this.instructions = text.toString();
        Map<String, Object> stringList = Map.of("type", "array", "items", Map.of("type", "string"));
        Map<String, Object> attributeProperties = new LinkedHashMap<>();
        attributeNames.forEach(name -> attributeProperties.put(name, stringList));
        this.schema = Map.of(
                "type", "object",
                "properties", Map.of(
                        "category", Map.of("type", "string", "enum", List.copyOf(this.taxonomy.keySet())),
                        "tags", stringList,
                        "attributes", Map.of("type", "object", "properties", attributeProperties,
                                "required", attributeNames, "additionalProperties", false),
                        "description", Map.of("type", "string")),
                "required", List.of("category", "tags", "attributes", "description"),
                "additionalProperties", false);
    }

    @Override
    public Enrichment enrich(StoredProduct product) {
        String text = ProductText.of(product.title(), product.brand(), product.description(), product.tags());
        String content = chat.complete(instructions, text, "product_enrichment", schema);
        Answer answer;
        try {
            answer = JSON.readValue(content, Answer.class);
        } catch (JacksonException e) {
            throw chat.invalid("not a product enrichment JSON object (" + e.getOriginalMessage() + ")");
        }
        if (answer.category() == null || !taxonomy.containsKey(answer.category())) {
            throw chat.invalid("category " + answer.category() + " is not one of " + taxonomy.keySet());
        }
        if (answer.tags() == null || answer.tags().isEmpty() || answer.tags().size() > maxTags
                || answer.tags().stream().anyMatch(tag -> tag == null || tag.isBlank())) {
            throw chat.invalid("tags must be 1.." + maxTags + " non-blank strings, got " + answer.tags());
        }
        if (answer.attributes() == null || !answer.attributes().keySet().equals(Set.copyOf(attributeNames))
                || answer.attributes().values().stream().anyMatch(values -> values == null)) {
            throw chat.invalid("attributes must list " + attributeNames + ", got " + answer.attributes());
        }
        if (answer.description() == null || answer.description().isBlank() || answer.description().length() > maxDescriptionChars) {
            throw chat.invalid("description must be 1.." + maxDescriptionChars + " characters");
        }
        Map<String, List<String>> attributes = new TreeMap<>();
        answer.attributes().forEach((name, values) -> {
            if (!values.isEmpty()) {
                attributes.put(name, List.copyOf(values));
            }
        });
        // The model states no confidence; 1 marks a category it chose rather than one scored by similarity.
        return new Enrichment(answer.category(), 1.0, answer.tags(), attributes, answer.description().strip(),
                "openai:" + chat.model());
    }

    /** Spring calls this on shutdown (inferred destroy method): releases the HTTP client. */
    @Override
    public void close() {
        chat.close();
    }

    private record Answer(String category, List<String> tags, Map<String, List<String>> attributes, String description) {
    }
}
