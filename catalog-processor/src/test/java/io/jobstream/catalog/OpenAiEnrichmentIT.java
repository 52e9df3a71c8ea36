package io.jobstream.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.events.JobState;
import io.jobstream.store.product.ProductEnrichment;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Enrichment through an OpenAI-compatible server (faked at the HTTP level): strict structured output
 * over the taxonomy and attributes, answers stored with the provider; a current enrichment asks the
 * model nothing; an answer outside the schema's promises fails the job permanently.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiEnrichmentIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static FakeOpenAiServer openAi;
    static CatalogProcessorInstance processor;
    static JobPublisher publisher;
    static JobOutcomes outcomes;
    static ProductEnrichmentRepository enrichments;

    @BeforeAll
    static void start() {
        openAi = new FakeOpenAiServer(8, true);
        processor = CatalogProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.catalog.enrichment.provider=openai",
                "--jobstream.chat.openai.api-key=test-key",
                "--jobstream.chat.openai.base-url=" + openAi.baseUrl(),
                "--jobstream.chat.openai.model=gpt-test");
        publisher = new JobPublisher(kafka.bootstrapServers(), "catalog-openai-test", 2);
        outcomes = new JobOutcomes(kafka.bootstrapServers());
        enrichments = new ProductEnrichmentRepository(postgres.dataSource());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        outcomes.close();
        publisher.close();
        processor.close();
        openAi.close();
    }

    @Test
    @Order(1)
    void theModelsStructuredAnswersAreCheckedAndStored() {
        openAi.replyWhenAsked("Handmade ceramic coffee mug", Reply.answer(answer("home-and-kitchen", "[\"mug\", \"coffee\"]",
                "\"material\": [\"ceramic\"], \"occasion\": [\"birthday\"]", "A glazed mug for slow mornings.")));
        openAi.replyWhenAsked("Wireless noise-cancelling headphones", Reply.answer(answer("electronics-and-gadgets",
                "[\"headphones\"]", "\"colour\": [\"black\"]", "Quiet, wherever you are.")));
        openAi.replyWhenAsked("Cashmere scarf", Reply.answer(answer("fashion-and-accessories", "[\"scarf\", \"winter\"]",
                "\"material\": [\"cashmere\"]", "Soft navy cashmere for cold days.")));

        Catalog.publish(publisher, List.of(ProductEnrichmentIT.MUG, ProductEnrichmentIT.HEADPHONES, ProductEnrichmentIT.SCARF));
        outcomes.awaitCompleted("product-enrichment:mug-1", 1, WAIT);
        outcomes.awaitCompleted("product-enrichment:headphones-1", 1, WAIT);
        outcomes.awaitCompleted("product-enrichment:" + ProductEnrichmentIT.SCARF_ID, 1, WAIT);

        ProductEnrichment mug = enrichments.find("mug-1").orElseThrow();
        assertThat(mug.category()).isEqualTo("home-and-kitchen");
        assertThat(mug.provider()).isEqualTo("openai:gpt-test");
        JsonNode fields = JSON.readTree(mug.fields());
        assertThat(fields.get("description").asString()).isEqualTo("A glazed mug for slow mornings.");
        assertThat(fields.path("attributes").path("material").get(0).asString()).isEqualTo("ceramic");
        assertThat(fields.path("attributes").has("colour")).as("empty attributes are left out").isFalse();
        assertThat(enrichments.find("headphones-1").orElseThrow().category()).isEqualTo("electronics-and-gadgets");
        assertThat(enrichments.find(ProductEnrichmentIT.SCARF_ID).orElseThrow().category()).isEqualTo("fashion-and-accessories");

        JsonNode request = openAi.chatRequests().stream().filter(r -> r.toString().contains("Handmade ceramic coffee mug"))
                .findFirst().orElseThrow();
        JsonNode format = request.get("response_format");
        assertThat(format.get("type").asString()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
        JsonNode schema = format.get("json_schema").get("schema");
        assertThat(schema.path("properties").path("category").get("enum").size()).isEqualTo(8);
        assertThat(schema.path("properties").path("attributes").get("required").valueStream().map(JsonNode::asString).toList())
                .containsExactly("colour", "material", "occasion", "recipient");
    }

    @Test
    @Order(2)
    void aCurrentEnrichmentAsksTheModelNothingAndANewPromptVersionAsksAgain() {
        int asked = openAi.chatRequests().size();

        Catalog.enrich(publisher, "mug-1", null);
        assertThat(outcomes.awaitCompleted("product-enrichment:mug-1", 2, WAIT).get("skipped").asBoolean()).isTrue();
        assertThat(openAi.chatRequests()).hasSize(asked);

        Catalog.enrich(publisher, "mug-1", "v2");
        JsonNode result = outcomes.awaitCompleted("product-enrichment:mug-1", 3, WAIT);
        assertThat(result.get("skipped").asBoolean()).isFalse();
        assertThat(result.get("version").asInt()).isEqualTo(2);
        assertThat(openAi.chatRequests()).hasSize(asked + 1);
    }

    @Test
    @Order(3)
    void anAnswerOutsideTheTaxonomyFailsTheJobPermanently() {
        openAi.replyWhenAsked("Garden gnome", Reply.answer(answer("garden", "[\"gnome\"]", "", "A gnome.")));

        Catalog.publish(publisher, List.of(Catalog.product("gnome-1", "Garden gnome", "A cheerful gnome.", List.of(), 1200, false)));

        Await.until(WAIT, "the gnome's job dead-lettered", () -> outcomes.deadLettered("product-enrichment:gnome-1").isPresent());
        assertThat(outcomes.deadLettered("product-enrichment:gnome-1").orElseThrow())
                .contains("PermanentJobException").contains("category garden is not one of");
        assertThat(outcomes.events("product-enrichment:gnome-1")).noneMatch(e -> e.getState() == JobState.RETRY_SCHEDULED);
        assertThat(enrichments.find("gnome-1")).isEmpty();
    }

    private static String answer(String category, String tags, String attributes, String description) {
        String all = "{\"material\": [], \"colour\": [], \"occasion\": [], \"recipient\": []}";
        JsonNode merged = JSON.readTree(all);
        if (!attributes.isBlank()) {
            JSON.readTree("{" + attributes + "}").properties().forEach(e -> ((ObjectNode) merged).set(e.getKey(), e.getValue()));
        }
        return "{\"category\": \"" + category + "\", \"tags\": " + tags + ", \"attributes\": " + merged + ", \"description\": \""
                + description + "\"}";
    }
}
