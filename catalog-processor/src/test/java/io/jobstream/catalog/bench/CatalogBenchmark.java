package io.jobstream.catalog.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.catalog.Catalog;
import io.jobstream.catalog.CatalogProcessorInstance;
import io.jobstream.catalog.JobOutcomes;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.CuratedCollectionsRequested;
import io.jobstream.events.Product;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.store.Embedding;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * On demand, never by the build ({@code -Dtest=CatalogBenchmark}): offline enrichments per second
 * through catalog-processor (products topic → enrichment jobs → MiniLM + RAKE → PostgreSQL), and the
 * time to build a day's collections from 10,000 products with vectors. Prints its figures.
 */
class CatalogBenchmark {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final int ENRICHED = Integer.getInteger("bench.enrichments", 1000);
    private static final int COLLECTION_PRODUCTS = Integer.getInteger("bench.collectionProducts", 10_000);
    private static final List<String> NOUNS = List.of("mug", "scarf", "headphones", "yoga mat", "teddy bear", "notebook",
            "candle", "wallet", "speaker", "puzzle", "gin", "chocolate box", "kettlebell", "perfume", "jumper", "camera strap");
    private static final List<String> ADJECTIVES = List.of("handmade", "organic", "wireless", "leather", "ceramic", "wooden",
            "cashmere", "scented", "personalised", "vintage", "compact", "luxury");

    @TempDir
    static Path dataDir;

    static CatalogProcessorInstance processor;
    static JobPublisher publisher;

    @BeforeAll
    static void start() {
        processor = CatalogProcessorInstance.start(kafka, postgres, dataDir);
        publisher = new JobPublisher(kafka.bootstrapServers(), "catalog-bench", 2);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        processor.close();
    }

    @Test
    void enrichmentsPerSecondOffline() {
        SplittableRandom random = new SplittableRandom(7);
        List<Product> products = new ArrayList<>();
        for (int i = 0; i < ENRICHED; i++) {
            String adjective = ADJECTIVES.get(random.nextInt(ADJECTIVES.size()));
            String noun = NOUNS.get(random.nextInt(NOUNS.size()));
            products.add(Catalog.product("bench-" + i, adjective + " " + noun + " no. " + i,
                    "A " + adjective + " " + noun + " made in small batches. A thoughtful birthday gift for her or him, in navy or "
                            + "cream. Arrives gift wrapped.", List.of(noun), 1000 + i, i % 3 == 0));
        }
        JdbcTemplate jdbc = new JdbcTemplate(postgres.dataSource());
        long started = System.nanoTime();
        for (int from = 0; from < products.size(); from += 500) {
            Catalog.publish(publisher, products.subList(from, Math.min(products.size(), from + 500)));
        }
        Await.until(Duration.ofMinutes(10), ENRICHED + " enrichments",
                () -> jdbc.queryForObject("SELECT count(*) FROM product_enrichments", Long.class) == ENRICHED);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("BENCH enrichment offline: %d products in %.1f s = %.1f enrichments/s (publish to stored, one instance)%n",
                ENRICHED, seconds, ENRICHED / seconds);
    }

    @Test
    void collectionsFromTenThousandProducts() throws InterruptedException {
        int dims = 384;
        int centers = 24;
        SplittableRandom random = new SplittableRandom(11);
        float[][] centroid = new float[centers][];
        for (int c = 0; c < centers; c++) {
            centroid[c] = unit(gaussian(random, dims, 1.0));
        }
        List<StoredProduct> products = new ArrayList<>();
        List<Embedding> vectors = new ArrayList<>();
        for (int i = 0; i < COLLECTION_PRODUCTS; i++) {
            int c = i % centers;
            float[] noise = gaussian(random, dims, 0.03);
            float[] vector = new float[dims];
            for (int d = 0; d < dims; d++) {
                vector[d] = centroid[c][d] + noise[d];
            }
            String id = "big-" + i;
            String hash = Integer.toHexString(i);
            products.add(new StoredProduct(id, "Product " + i + " of theme " + c, "Theme " + c + " item.", null, 100L + i, "GBP",
                    i % 2 == 0, List.of("theme" + c), Instant.now(), hash));
            vectors.add(new Embedding("product", id, "all-minilm-l6-v2-q", hash, unit(vector), null));
        }
        ProductRepository repository = new ProductRepository(postgres.dataSource());
        EmbeddingRepository embeddings = new EmbeddingRepository(postgres.dataSource());
        for (int from = 0; from < products.size(); from += 1000) {
            repository.upsert(products.subList(from, Math.min(products.size(), from + 1000)));
            embeddings.upsert(vectors.subList(from, Math.min(vectors.size(), from + 1000)));
        }
        try (JobOutcomes outcomes = new JobOutcomes(kafka.bootstrapServers())) {
            for (int run = 0; run < 3; run++) {
                String date = "2030-01-0" + (run + 1);
                String jobId = ProductJobs.collectionsJobId("home", date);
                long started = System.nanoTime();
                publisher.submit(TopicCatalog.CURATED_COLLECTIONS, JobSubmission.of(jobId, ProductJobs.COLLECTIONS_JOB_TYPE,
                        CuratedCollectionsRequested.newBuilder().setSurface("home").setDate(date).build()));
                JsonNode result = outcomes.awaitCompleted(jobId, 1, Duration.ofMinutes(5));
                System.out.printf("BENCH collections from %d products: worker build %d ms (query, k-means k=6, titles, store), "
                                + "submit to completed %d ms, collections=%d%n", result.get("candidates").asInt(),
                        result.get("buildMillis").asLong(), (System.nanoTime() - started) / 1_000_000, result.get("collections").size());
            }
        }
    }

    private static float[] gaussian(SplittableRandom random, int dims, double sigma) {
        float[] v = new float[dims];
        for (int d = 0; d < dims; d++) {
            // Box-Muller
            v[d] = (float) (sigma * Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] u = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            u[d] = (float) (v[d] / Math.sqrt(norm));
        }
        return u;
    }
}
