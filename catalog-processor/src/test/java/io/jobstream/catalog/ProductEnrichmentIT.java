package io.jobstream.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.content.ProductText;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.Product;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.store.product.ProductEnrichment;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Products published on the products topic become rows, embedding jobs and enrichment jobs; the
 * offline enricher (the real bundled MiniLM, RAKE, vocabularies) gives each a category a person
 * would choose among the eight configured ones; a current enrichment is skipped, a new prompt
 * version or a changed text is enriched again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductEnrichmentIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Deserializer<EmbeddingRequested> EMBEDDING_JOBS = AvroSerde.of(EmbeddingRequested.class).deserializer();

    static final Product MUG = Catalog.product("mug-1", "Handmade ceramic coffee mug",
            "A glazed stoneware mug for your morning coffee or tea, holding 350 ml. Dishwasher safe. "
                    + "A lovely birthday present for her.", List.of("mug", "coffee"), 1800, true);
    static final Product HEADPHONES = Catalog.product("headphones-1", "Wireless noise-cancelling headphones",
            "Black over-ear Bluetooth headphones with 30 hours of battery life and a USB-C charger. "
                    + "Fold flat for travel.", List.of(), 12900, false);
    static final String SCARF_ID = idOnThePartitionOf("headphones-1", "scarf-");
    static final Product SCARF = Catalog.product(SCARF_ID, "Cashmere scarf",
            "A soft navy scarf woven from pure cashmere wool to wear on cold winter days. Gift boxed, a Christmas gift for him.",
            List.of("winter"), 6500, false);

    @TempDir
    static Path dataDir;

    static CatalogProcessorInstance processor;
    static JobPublisher publisher;
    static JobOutcomes outcomes;
    static ProductEnrichmentRepository enrichments;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        processor = CatalogProcessorInstance.start(kafka, postgres, dataDir);
        publisher = new JobPublisher(kafka.bootstrapServers(), "catalog-enrichment-test", 2);
        outcomes = new JobOutcomes(kafka.bootstrapServers());
        enrichments = new ProductEnrichmentRepository(postgres.dataSource());
        jdbc = new JdbcTemplate(postgres.dataSource());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        outcomes.close();
        publisher.close();
        processor.close();
    }

    @Test
    @Order(1)
    void publishedProductsAreStoredEmbeddedAndEnrichedOffline() throws InterruptedException {
        Catalog.publish(publisher, List.of(MUG, HEADPHONES, SCARF));

        Await.until(WAIT, "three enrichments", () -> jdbc.queryForObject("SELECT count(*) FROM product_enrichments", Long.class) == 3);

        ProductEnrichment mug = enrichments.find("mug-1").orElseThrow();
        ProductEnrichment headphones = enrichments.find("headphones-1").orElseThrow();
        ProductEnrichment scarf = enrichments.find(SCARF_ID).orElseThrow();
        assertThat(mug.category()).isEqualTo("home-and-kitchen");
        assertThat(headphones.category()).isEqualTo("electronics-and-gadgets");
        assertThat(scarf.category()).isEqualTo("fashion-and-accessories");
        for (ProductEnrichment enrichment : List.of(mug, headphones, scarf)) {
            assertThat(enrichment.version()).isEqualTo(1);
            assertThat(enrichment.promptVersion()).isEqualTo("v1");
            assertThat(enrichment.provider()).isEqualTo("local:all-minilm-l6-v2-q+rake");
        }
        JsonNode mugFields = JSON.readTree(mug.fields());
        assertThat(strings(mugFields.get("tags"))).contains("mug", "coffee").hasSizeLessThanOrEqualTo(6);
        assertThat(strings(mugFields.get("tags"))).anyMatch(tag -> tag.contains("ceramic coffee mug") || tag.contains("glazed stoneware mug"));
        assertThat(strings(mugFields.path("attributes").get("material"))).containsExactly("ceramic");
        assertThat(strings(mugFields.path("attributes").get("occasion"))).containsExactly("birthday");
        assertThat(strings(mugFields.path("attributes").get("recipient"))).containsExactly("her");
        assertThat(mugFields.get("description").asString())
                .isEqualTo("A glazed stoneware mug for your morning coffee or tea, holding 350 ml. Dishwasher safe. "
                        + "A lovely birthday present for her.");
        JsonNode scarfFields = JSON.readTree(scarf.fields());
        assertThat(strings(scarfFields.path("attributes").get("material"))).containsExactlyInAnyOrder("cashmere", "wool");
        assertThat(strings(scarfFields.path("attributes").get("colour"))).containsExactly("navy");
        assertThat(strings(scarfFields.path("attributes").get("occasion"))).containsExactly("christmas");
        assertThat(strings(scarfFields.path("attributes").get("recipient"))).containsExactly("him");
        JsonNode headphoneFields = JSON.readTree(headphones.fields());
        assertThat(strings(headphoneFields.path("attributes").get("colour"))).containsExactly("black");
        assertThat(headphoneFields.get("description").asString()).startsWith("Black over-ear Bluetooth headphones");

        assertThat(jdbc.queryForObject("SELECT text_hash FROM products WHERE product_id = 'mug-1'", String.class))
                .isEqualTo(ProductText.hash(MUG.getTitle(), null, MUG.getDescription(), MUG.getTags()));
        try (TopicTail embeddingJobs = new TopicTail(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests())) {
            Await.until(WAIT, "three product embedding jobs", () -> embeddingJobs.records().size() == 3);
            EmbeddingRequested job = embeddingJobs.records().stream().filter(r -> "product:mug-1".equals(r.key()))
                    .map(r -> EMBEDDING_JOBS.deserialize(r.topic(), r.value())).findFirst().orElseThrow();
            assertThat(job.getJobId()).isEqualTo("product-embedding:mug-1");
            assertThat(job.getPriority()).isEqualTo(2);
            assertThat(job.getText()).isEqualTo(ProductText.of(MUG.getTitle(), null, MUG.getDescription(), MUG.getTags()));
        }
        assertThat(outcomes.awaitCompleted("product-enrichment:mug-1", 1, WAIT).get("skipped").asBoolean()).isFalse();
    }

    @Test
    @Order(2)
    void theSameVersionAgainIsSkipped() {
        Catalog.enrich(publisher, "mug-1", null);

        JsonNode result = outcomes.awaitCompleted("product-enrichment:mug-1", 2, WAIT);

        assertThat(result.get("skipped").asBoolean()).isTrue();
        assertThat(result.get("version").asInt()).isEqualTo(1);
        assertThat(enrichments.find("mug-1").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aNewPromptVersionIsEnrichedAgain() {
        Catalog.enrich(publisher, "mug-1", "v2");

        JsonNode result = outcomes.awaitCompleted("product-enrichment:mug-1", 3, WAIT);

        assertThat(result.get("skipped").asBoolean()).isFalse();
        assertThat(result.get("version").asInt()).isEqualTo(2);
        ProductEnrichment stored = enrichments.find("mug-1").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.promptVersion()).isEqualTo("v2");
        assertThat(stored.category()).isEqualTo("home-and-kitchen");
    }

    @Test
    @Order(4)
    void aChangedTextIsEnrichedAgainAndAChangedPriceAloneIsNot() throws InterruptedException {
        Product cheaperScarf = Catalog.product(SCARF_ID, SCARF.getTitle(), SCARF.getDescription(), SCARF.getTags(), 4900, false);
        Product newHeadphones = Catalog.product("headphones-1", "Wireless earbuds",
                "White in-ear Bluetooth earbuds with a charging case and 24 hours of battery life.", List.of(), 7900, false);
        // One partition, in this order: once the headphones' second embedding job is committed, the scarf's record is done.
        Catalog.publish(publisher, List.of(cheaperScarf, newHeadphones));

        Await.until(WAIT, "headphones-1 enriched again", () -> enrichments.find("headphones-1").orElseThrow().version() == 2);
        try (TopicTail embeddingJobs = new TopicTail(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests())) {
            Await.until(WAIT, "the headphones' second embedding job", () -> embeddingJobs.records().stream()
                    .filter(r -> "product:headphones-1".equals(r.key())).count() == 2);
            assertThat(embeddingJobs.records().stream().filter(r -> ("product:" + SCARF_ID).equals(r.key())).count())
                    .as("a price change alone derives no embedding job").isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT price FROM products WHERE product_id = ?", Long.class, SCARF_ID)).isEqualTo(4900);
        assertThat(strings(JSON.readTree(enrichments.find("headphones-1").orElseThrow().fields()).path("attributes").get("colour")))
                .containsExactly("white");
        assertThat(outcomes.completed(ProductJobs.enrichmentJobId(SCARF_ID))).hasSize(1);
        assertThat(enrichments.find(SCARF_ID).orElseThrow().version()).isEqualTo(1);
    }

    private static List<String> strings(JsonNode array) {
        return array == null ? List.of() : array.valueStream().map(JsonNode::asString).toList();
    }

    /** A product id whose records share a partition of the products topic with {@code other}'s, so they are processed in order. */
    private static String idOnThePartitionOf(String other, String prefix) {
        int partition = partition(other);
        return IntStream.range(0, 1000).mapToObj(i -> prefix + i).filter(id -> partition(id) == partition).findFirst().orElseThrow();
    }

    /** The default partitioner's choice for a keyed record. */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % TopicCatalog.DEFAULT_PARTITIONS;
    }
}
