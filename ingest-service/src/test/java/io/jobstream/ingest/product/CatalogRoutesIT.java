package io.jobstream.ingest.product;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.core.content.ProductText;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.CuratedCollectionsRequested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.Product;
import io.jobstream.events.ProductEnrichmentRequested;
import io.jobstream.ingest.support.CommittedRecords;
import io.jobstream.ingest.support.CommittedRecords.Committed;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.store.product.CollectionRepository;
import io.jobstream.store.product.CuratedCollection;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Seed 004's product and collection routes against a real broker and database (no catalog-processor). */
class CatalogRoutesIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MUG = """
            {"title": "Ceramic mug", "description": "A glazed mug.", "brand": "Potter", "price": 1800, "currency": "gbp",
             "isFeatured": true, "tags": ["kitchen", "coffee"], "updatedAt": "2026-12-01T10:00:00Z"}""";

    @TempDir
    static Path dataDir;

    static IngestInstance ingest;
    static ProductRepository products;

    @BeforeAll
    static void start() {
        Flyway.configure().dataSource(postgres.dataSource()).load().migrate();
        products = new ProductRepository(postgres.dataSource());
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-catalog-test", dataDir, postgres);
        Await.until(WAIT, "the job-status store running", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void putAndBulkPublishProductsOnTheCompactedTopic() {
        Http.Response one = Http.send(put("/api/products/mug-1", MUG));
        Http.Response bulk = Http.postJson(ingest.uri("/api/products/bulk"), """
                {"products": [{"id": "bulk-1", "title": "Yoga mat", "price": 2500, "currency": "EUR"},
                              {"id": "bulk-2", "title": "Teddy bear", "price": 1500, "currency": "USD", "tags": []}]}""");

        assertThat(one.status()).as(one.toString()).isEqualTo(202);
        assertThat(one.body().get("textHash").asString())
                .isEqualTo(ProductText.hash("Ceramic mug", "Potter", "A glazed mug.", List.of("kitchen", "coffee")));
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(202);
        assertThat(bulk.body().get("accepted").asInt()).isEqualTo(2);
        Product mug = single(CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.PRODUCTS, Product.class,
                "mug-1"::equals)).value();
        assertThat(mug.getTitle()).isEqualTo("Ceramic mug");
        assertThat(mug.getPrice()).isEqualTo(1800);
        assertThat(mug.getCurrency()).isEqualTo("GBP");
        assertThat(mug.getIsFeatured()).isTrue();
        assertThat(mug.getTags()).containsExactly("kitchen", "coffee");
        assertThat(mug.getUpdatedAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.PRODUCTS, Product.class, id -> id.startsWith("bulk-")))
                .extracting(Committed::key).containsExactlyInAnyOrder("bulk-1", "bulk-2");
    }

    @Test
    void badProductsAreRejectedNamingTheFieldAndNothingIsPublished() {
        Map<String, Long> before = CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.PRODUCTS);
        assertBadRequest(Http.send(put("/api/products/p-1", "")), "body", "is required");
        assertBadRequest(Http.send(put("/api/products/p-1", "[]")), "body", "JSON object");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"price\": 100, \"currency\": \"GBP\"}")), "title", "is required");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"currency\": \"GBP\"}")), "price", "is required");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": -1, \"currency\": \"GBP\"}")), "price",
                "between 0 and");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": 9.99, \"currency\": \"GBP\"}")), "price",
                "whole number");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": 1, \"currency\": \"POUND\"}")), "currency",
                "at most 4 characters");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": 1, \"currency\": \"G1P\"}")), "currency",
                "ISO 4217");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": 1, \"currency\": \"GBP\", \"isFeatured\": \"yes\"}")),
                "isFeatured", "true or false");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": 1, \"currency\": \"GBP\", \"tags\": [\"a\", 2]}")),
                "tags[1]", "must be a string");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"title\": \"x\", \"price\": 1, \"currency\": \"GBP\", \"updatedAt\": \"soon\"}")),
                "updatedAt", "ISO-8601");
        assertBadRequest(Http.send(put("/api/products/p-1", "{\"id\": \"p-2\", \"title\": \"x\", \"price\": 1, \"currency\": \"GBP\"}")),
                "id", "must match the path");
        assertBadRequest(Http.postJson(ingest.uri("/api/products/bulk"), "{}"), "products", "array of products");
        assertBadRequest(Http.postJson(ingest.uri("/api/products/bulk"), "[]"), "body", "must not be empty");
        assertBadRequest(Http.postJson(ingest.uri("/api/products/bulk"), """
                [{"id": "ok-1", "title": "x", "price": 1, "currency": "GBP"}, {"id": "ok-2", "title": "y", "currency": "GBP"}]"""),
                "products[1].price", "is required");
        assertBadRequest(Http.postJson(ingest.uri("/api/products/bulk"), """
                [{"id": "ok-1", "title": "x", "price": 1, "currency": "GBP"}, {"id": "ok-1", "title": "y", "price": 1, "currency": "GBP"}]"""),
                "products[1].id", "also products[0]");
        assertBadRequest(Http.postJson(ingest.uri("/api/products/bulk"), "[{\"title\": \"x\", \"price\": 1, \"currency\": \"GBP\"}]"),
                "products[0].id", "is required");
        assertBadRequest(Http.postJson(ingest.uri("/api/products/bulk"), "[7]"), "products[0]", "JSON object");
        String tooMany = JSON.writeValueAsString(IntStream.range(0, 1001)
                .mapToObj(i -> Map.of("id", "p" + i, "title", "x", "price", 1, "currency", "GBP")).toList());
        Http.Response large = Http.postJson(ingest.uri("/api/products/bulk"), tooMany);
        assertThat(large.status()).as(large.toString()).isEqualTo(413);
        assertThat(large.body().get("error").get("field").asString()).isEqualTo("body");
        assertThat(CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.PRODUCTS)).isEqualTo(before);
    }

    @Test
    void getShowsTheStoredProductAndItsEnrichment() {
        store("shown-1", "Cashmere scarf");
        new ProductEnrichmentRepository(postgres.dataSource()).save("shown-1", "v1",
                ProductText.hash("Cashmere scarf", null, "Soft and warm.", List.of()), "local:test", "fashion-and-accessories",
                "{\"category\": \"fashion-and-accessories\", \"tags\": [\"scarf\"]}");

        Http.Response shown = Http.get(ingest.uri("/api/products/shown-1"));
        Http.Response unknown = Http.get(ingest.uri("/api/products/nobody"));

        assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
        assertThat(shown.body().path("product").get("title").asString()).isEqualTo("Cashmere scarf");
        assertThat(shown.body().path("product").get("price").asLong()).isEqualTo(6500);
        JsonNode enrichment = shown.body().get("enrichment");
        assertThat(enrichment.get("version").asInt()).isEqualTo(1);
        assertThat(enrichment.get("current").asBoolean()).isTrue();
        assertThat(enrichment.path("fields").get("category").asString()).isEqualTo("fashion-and-accessories");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.body().get("error").get("field").asString()).isEqualTo("productId");
    }

    @Test
    void processAddsTheEmbeddingAndTheEnrichmentJobTogether() {
        store("proc-1", "Oak desk");
        Map<String, Long> before = CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests(),
                TopicCatalog.PRODUCT_ENRICHMENT.requests());
        Http.Response unknown = Http.postJson(ingest.uri("/api/products/nobody/process"), "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertBadRequest(Http.postJson(ingest.uri("/api/products/proc-1/process"), "{\"triggeredBy\": 5}"), "triggeredBy",
                "must be a string");
        assertThat(CommittedRecords.counts(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests(),
                TopicCatalog.PRODUCT_ENRICHMENT.requests())).isEqualTo(before);

        Http.Response first = Http.postJson(ingest.uri("/api/products/proc-1/process"), "{\"triggeredBy\": \"product.created\"}");

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.body().path("embeddingJob").get("jobId").asString()).isEqualTo("product-embedding:proc-1");
        assertThat(first.body().path("enrichmentJob").get("jobId").asString()).isEqualTo("product-enrichment:proc-1");
        assertThat(first.body().path("enrichmentJob").get("duplicate").asBoolean()).isFalse();
        Committed<EmbeddingRequested> embedding = single(CommittedRecords.read(kafka.bootstrapServers(),
                TopicCatalog.EMBEDDING.requests(), EmbeddingRequested.class, "product:proc-1"::equals));
        Committed<ProductEnrichmentRequested> enrichment = single(CommittedRecords.read(kafka.bootstrapServers(),
                TopicCatalog.PRODUCT_ENRICHMENT.requests(), ProductEnrichmentRequested.class, "product:proc-1"::equals));
        assertThat(embedding.header(JobHeaders.PRIORITY)).isEqualTo("2");
        assertThat(embedding.value().getText()).isEqualTo(ProductText.of("Oak desk", null, "Soft and warm.", List.of()));
        assertThat(embedding.value().getTriggeredBy()).isEqualTo("product.created");
        assertThat(enrichment.header(JobHeaders.PRIORITY)).isEqualTo("3");
        assertThat(enrichment.header(JobHeaders.JOB_ID)).isEqualTo("product-enrichment:proc-1");
        assertThat(enrichment.value().getPromptVersion()).isEqualTo("v1");
        assertThat(enrichment.value().getCurrentEnrichmentVersion()).isZero();

        Await.until(WAIT, "both jobs in the status store", () -> Http.get(ingest.uri("/api/jobs/product-enrichment:proc-1")).status() == 200
                && Http.get(ingest.uri("/api/jobs/product-embedding:proc-1")).status() == 200);
        Http.Response again = Http.postJson(ingest.uri("/api/products/proc-1/process"), "{}");
        assertThat(again.body().path("embeddingJob").get("duplicate").asBoolean()).isTrue();
        assertThat(again.body().path("enrichmentJob").get("duplicate").asBoolean()).isTrue();
        assertThat(CommittedRecords.read(kafka.bootstrapServers(), TopicCatalog.PRODUCT_ENRICHMENT.requests(),
                ProductEnrichmentRequested.class, "product:proc-1"::equals)).hasSize(1);
    }

    @Test
    void scheduleDailyAddsOneJobPerSurfaceAndCollectionsAreReadBack() {
        assertBadRequest(Http.postJson(ingest.uri("/api/collections/schedule-daily"), "{}"), "date", "is required");
        assertBadRequest(Http.postJson(ingest.uri("/api/collections/schedule-daily"), "{\"date\": \"21/12/2025\"}"), "date",
                "ISO date");

        Http.Response scheduled = Http.postJson(ingest.uri("/api/collections/schedule-daily"), "{\"date\": \"2025-12-21\"}");

        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(202);
        assertThat(scheduled.body().get("jobs").valueStream().map(j -> j.path("job").get("jobId").asString()).toList())
                .containsExactly("curated-collections:home:2025-12-21", "curated-collections:discovery:2025-12-21",
                        "curated-collections:occasion:2025-12-21");
        List<Committed<CuratedCollectionsRequested>> jobs = CommittedRecords.read(kafka.bootstrapServers(),
                TopicCatalog.CURATED_COLLECTIONS.requests(), CuratedCollectionsRequested.class, key -> key.endsWith(":2025-12-21"));
        assertThat(jobs).hasSize(3).allSatisfy(job -> {
            assertThat(job.header(JobHeaders.PRIORITY)).isEqualTo("4");
            assertThat(job.value().getDate()).isEqualTo("2025-12-21");
            assertThat(job.value().getCollectionsCount()).isEqualTo(6);
            assertThat(job.value().getProductsPerCollection()).isEqualTo(8);
        });

        assertBadRequest(Http.get(ingest.uri("/api/collections?date=2025-12-21")), "surface", "is required");
        assertBadRequest(Http.get(ingest.uri("/api/collections?surface=shop&date=2025-12-21")), "surface", "must be one of");
        assertBadRequest(Http.get(ingest.uri("/api/collections?surface=home&date=tomorrow")), "date", "ISO date");
        new CollectionRepository(postgres.dataSource()).saveAll(List.of(new CuratedCollection("home", LocalDate.parse("2025-12-20"),
                1, "Coffee: Espresso", List.of("coffee", "espresso"), List.of("c-1", "c-2"), "local:test", "job-1", null)));
        Http.Response read = Http.get(ingest.uri("/api/collections?surface=home&date=2025-12-20"));
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().get("count").asInt()).isEqualTo(1);
        assertThat(read.body().path("collections").get(0).get("title").asString()).isEqualTo("Coffee: Espresso");
        assertThat(read.body().path("collections").get(0).get("productIds").get(1).asString()).isEqualTo("c-2");
    }

    private static void store(String id, String title) {
        products.upsert(List.of(new StoredProduct(id, title, "Soft and warm.", null, 6500, "GBP", false, List.of(),
                Instant.parse("2026-12-01T00:00:00Z"), ProductText.hash(title, null, "Soft and warm.", List.of()))));
    }

    private static HttpRequest put(String path, String json) {
        return HttpRequest.newBuilder(ingest.uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.getFirst();
    }

    private static void assertBadRequest(Http.Response response, String field, String reason) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.body().get("error").get("field").asString()).as(response.toString()).isEqualTo(field);
        assertThat(response.body().get("error").get("reason").asString()).as(response.toString()).contains(reason);
    }
}
