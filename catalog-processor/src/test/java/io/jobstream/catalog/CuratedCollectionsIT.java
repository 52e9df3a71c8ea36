package io.jobstream.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ai.embedding.LocalMiniLmEmbeddings;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.CollectionFilters;
import io.jobstream.events.CuratedCollectionsRequested;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.product.CollectionRepository;
import io.jobstream.store.product.CuratedCollection;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * Sixty products in three obvious themes, with their real MiniLM vectors in pgvector: a curated
 * collections job clusters them into three collections of one theme each; a second job for the same
 * surface and day is skipped; filters keep the other products out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CuratedCollectionsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final LocalDate DAY = LocalDate.parse("2025-12-21");

    @TempDir
    static Path dataDir;

    static CatalogProcessorInstance processor;
    static JobPublisher publisher;
    static JobOutcomes outcomes;
    static CollectionRepository collections;
    static Map<String, StoredProduct> products;

    @BeforeAll
    static void start() {
        // Started first: it migrates the database the products are stored in.
        processor = CatalogProcessorInstance.start(kafka, postgres, dataDir);
        publisher = new JobPublisher(kafka.bootstrapServers(), "catalog-collections-test", 2);
        outcomes = new JobOutcomes(kafka.bootstrapServers());
        collections = new CollectionRepository(postgres.dataSource());
        try (LocalMiniLmEmbeddings model = new LocalMiniLmEmbeddings()) {
            products = ThemedProducts.store(new ProductRepository(postgres.dataSource()),
                    new EmbeddingRepository(postgres.dataSource()), model).stream()
                    .collect(Collectors.toMap(StoredProduct::productId, Function.identity()));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        outcomes.close();
        publisher.close();
        processor.close();
    }

    @Test
    @Order(1)
    void threeThemesBecomeThreeCollectionsOfOneThemeEach() {
        String jobId = submit("home", 3, 20, CollectionFilters.newBuilder().build(), "first");

        JsonNode result = outcomes.awaitCompleted(jobId, 1, WAIT);

        assertThat(result.get("skipped").asBoolean()).isFalse();
        assertThat(result.get("candidates").asInt()).isEqualTo(60);
        List<CuratedCollection> stored = collections.find("home", DAY);
        assertThat(stored).hasSize(3);
        Set<String> themes = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (CuratedCollection collection : stored) {
            Set<String> collectionThemes = collection.productIds().stream().map(ThemedProducts::theme).collect(Collectors.toSet());
            assertThat(collectionThemes).as(collection.title() + ": " + collection.productIds()).hasSize(1);
            themes.addAll(collectionThemes);
            assertThat(collection.productIds()).as("no product in two collections").allMatch(seen::add);
            assertThat(collection.productIds()).hasSize(20);
            assertThat(collection.title()).isNotBlank();
            assertThat(collection.jobId()).isEqualTo(jobId);
        }
        assertThat(themes).containsExactlyInAnyOrderElementsOf(ThemedProducts.THEMES);
        CuratedCollection coffee = stored.stream().filter(c -> ThemedProducts.theme(c.productIds().getFirst()).equals("coffee"))
                .findFirst().orElseThrow();
        assertThat(coffee.keywords()).contains("coffee");
        assertThat(coffee.title()).contains("Coffee");
    }

    @Test
    @Order(2)
    void aSecondRunForTheSameSurfaceAndDayIsSkipped() {
        List<CuratedCollection> before = collections.find("home", DAY);

        String jobId = submit("home", 6, 8, CollectionFilters.newBuilder().build(), "second");
        JsonNode result = outcomes.awaitCompleted(jobId, 1, WAIT);

        assertThat(result.get("skipped").asBoolean()).isTrue();
        assertThat(collections.find("home", DAY)).isEqualTo(before);
    }

    @Test
    @Order(3)
    void filtersKeepOtherProductsOut() {
        CollectionFilters filters = CollectionFilters.newBuilder().setIsFeatured(true).setMinPrice(1500L).setMaxPrice(5000L).build();
        long matching = products.values().stream().filter(p -> p.featured() && p.price() >= 1500 && p.price() <= 5000).count();

        String jobId = submit("discovery", 3, 8, filters, "filtered");
        JsonNode result = outcomes.awaitCompleted(jobId, 1, WAIT);

        assertThat(result.get("skipped").asBoolean()).isFalse();
        assertThat(result.get("candidates").asLong()).isEqualTo(matching);
        List<CuratedCollection> stored = collections.find("discovery", DAY);
        assertThat(stored).isNotEmpty().allSatisfy(collection -> assertThat(collection.productIds()).hasSizeLessThanOrEqualTo(8));
        stored.stream().flatMap(c -> c.productIds().stream()).map(products::get).forEach(product -> {
            assertThat(product.featured()).as(product.productId()).isTrue();
            assertThat(product.price()).as(product.productId()).isBetween(1500L, 5000L);
        });
    }

    @Test
    @Order(4)
    void aScheduledJobWithoutADateBuildsTheDayItWasAdded() {
        // What a daily scheduler's tick adds: the generic envelope with the template's JSON data, no date.
        String jobId = "curated-collections-occasion:1766293200000";
        publisher.submit(TopicCatalog.CURATED_COLLECTIONS, JobSubmission.of(jobId, ProductJobs.COLLECTIONS_JOB_TYPE,
                new JobRequested(ProductJobs.COLLECTIONS_JOB_TYPE, "{\"surface\":\"occasion\",\"triggeredBy\":\"scheduled\"}",
                        JobOptions.newBuilder().setJobId(jobId).setPriority(ProductJobs.COLLECTIONS_PRIORITY).build())));

        JsonNode result = outcomes.awaitCompleted(jobId, 1, WAIT);

        LocalDate added = LocalDate.ofInstant(outcomes.events(jobId).getFirst().getEnqueuedAt(), ZoneOffset.UTC);
        assertThat(result.get("date").asString()).isEqualTo(added.toString());
        assertThat(result.get("skipped").asBoolean()).isFalse();
        assertThat(collections.find("occasion", added)).hasSize(6)
                .allSatisfy(collection -> assertThat(collection.productIds()).hasSizeLessThanOrEqualTo(8));
    }

    /** A job with a unique id, as the routes or a scheduler would add it. */
    private static String submit(String surface, int count, int perCollection, CollectionFilters filters, String run) {
        String jobId = ProductJobs.collectionsJobId(surface, DAY.toString()) + ":" + run;
        publisher.submit(TopicCatalog.CURATED_COLLECTIONS, JobSubmission.of(jobId, ProductJobs.COLLECTIONS_JOB_TYPE,
                CuratedCollectionsRequested.newBuilder().setSurface(surface).setDate(DAY.toString()).setCollectionsCount(count)
                        .setProductsPerCollection(perCollection).setFilters(filters).setTriggeredBy("test").build())
                .withPriority(ProductJobs.COLLECTIONS_PRIORITY));
        return jobId;
    }
}
