package io.jobstream.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.KafkaException;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.Product;
import io.jobstream.events.ProductEnrichmentRequested;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.test.Await;
import io.jobstream.topics.TopicCatalog;

/** Test helpers that publish as producers and the routes do. */
public final class Catalog {

    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(60);

    private Catalog() {
    }

    public static Product product(String id, String title, String description, List<String> tags, long price, boolean featured) {
        return Product.newBuilder().setId(id).setTitle(title).setDescription(description).setBrand(null).setPrice(price)
                .setCurrency("GBP").setIsFeatured(featured).setTags(tags).setUpdatedAt(Instant.now()).build();
    }

    /**
     * Products on the products topic, in one transaction, as {@code PUT /api/products/{id}} publishes them; as a
     * producer does, again after a failed transaction (CI saw one fail with InvalidTxnStateException on a
     * loaded machine). Products are keyed by id and compacted, so publishing one twice changes nothing.
     */
    public static void publish(JobPublisher publisher, List<Product> products) {
        Await.until(PUBLISH_WAIT, "products " + products.stream().map(Product::getId).toList() + " published", () -> {
            try {
                publisher.inTransaction(batch -> products.forEach(p -> batch.publish(TopicCatalog.PRODUCTS, p.getId(), p)));
                return true;
            } catch (KafkaException failed) {
                return false;
            }
        });
    }

    /** An enrichment job as {@code POST /api/products/{id}/process} adds it. */
    static void enrich(JobPublisher publisher, String productId, String promptVersion) {
        ProductEnrichmentRequested.Builder request = ProductEnrichmentRequested.newBuilder().setProductId(productId)
                .setTriggeredBy("test");
        if (promptVersion != null) {
            request.setPromptVersion(promptVersion);
        }
        publisher.submit(TopicCatalog.PRODUCT_ENRICHMENT, JobSubmission.of(ProductJobs.enrichmentJobId(productId),
                ProductJobs.ENRICHMENT_JOB_TYPE, request.build()).withKey(ProductJobs.key(productId))
                .withPriority(ProductJobs.ENRICHMENT_PRIORITY));
    }
}
