package io.jobstream.ingest.product;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.core.content.ProductText;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.events.Product;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.api.RejectedRequestException;
import io.jobstream.ingest.submit.JobIds;
import io.jobstream.store.product.ProductEnrichment;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004's products: published to the compacted products topic (catalog-processor keeps the
 * products table and derives each product's embedding and enrichment jobs from it), read back with
 * their enrichment, and processed on demand ({@code enqueueProductProcessing}).
 */
@RestController
public class ProductController {

    private static final Logger log = LoggerFactory.getLogger(ProductController.class);
    private static final int MAX_FIELD_CHARS = 200;
    private static final String DEFAULT_TRIGGER = "api";

    private final JobPublisher publisher;
    private final ProductRepository products;
    private final ProductEnrichmentRepository enrichments;
    private final ProductProcessing processing;
    private final JsonMapper json;

    public ProductController(JobPublisher publisher, ProductRepository products, ProductEnrichmentRepository enrichments,
                             ProductProcessing processing, JsonMapper json) {
        this.publisher = publisher;
        this.products = products;
        this.enrichments = enrichments;
        this.processing = processing;
        this.json = json;
    }

    public record Published(boolean success, String productId, String textHash, String message) {
    }

    public record BulkPublished(boolean success, int accepted, List<String> productIds, String message) {
    }

    public record Processing(boolean success, String productId, QueuedJob embeddingJob, QueuedJob enrichmentJob) {
    }

    @PutMapping("/api/products/{productId}")
    public ResponseEntity<Published> put(@PathVariable String productId, @RequestBody(required = false) JsonNode body) {
        Product product = ProductRequests.one(productId, body, Instant.now());
        publish(List.of(product));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Published(true, productId, hash(product),
                "Product published; its embedding and enrichment follow when its text is new or changed"));
    }

    @PostMapping("/api/products/bulk")
    public ResponseEntity<BulkPublished> bulk(@RequestBody(required = false) JsonNode body) {
        List<Product> batch = ProductRequests.bulk(body, Instant.now());
        publish(batch);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new BulkPublished(true, batch.size(),
                batch.stream().map(Product::getId).toList(), batch.size() + " products published"));
    }

    @GetMapping("/api/products/{productId}")
    public ProductView get(@PathVariable String productId) {
        StoredProduct product = known(productId);
        return ProductView.of(product, enrichments.find(productId), json);
    }

    @PostMapping("/api/products/{productId}/process")
    public ResponseEntity<Processing> process(@PathVariable String productId, @RequestBody(required = false) JsonNode body) {
        JsonFields fields = JsonFields.of(body);
        String triggeredBy = fields.text("triggeredBy", MAX_FIELD_CHARS);
        String promptVersion = fields.text("promptVersion", MAX_FIELD_CHARS);
        StoredProduct product = known(productId);
        Optional<ProductEnrichment> stored = enrichments.find(productId);
        ProductProcessing.Queued queued = processing.process(product, triggeredBy == null ? DEFAULT_TRIGGER : triggeredBy,
                promptVersion, stored);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Processing(true, productId, queued.embeddingJob(),
                queued.enrichmentJob()));
    }

    private StoredProduct known(String productId) {
        JobIds.problem(productId).ifPresent(reason -> {
            throw new BadRequestException("productId", reason);
        });
        return products.find(productId).orElseThrow(() -> new RejectedRequestException(HttpStatus.NOT_FOUND,
                "Product not found", "productId", "no product with id " + productId
                + " (a product published just now appears once catalog-processor has stored it)"));
    }

    /** All products of the request in one transaction: all or none. */
    private void publish(List<Product> batch) {
        publisher.inTransaction(transaction -> batch.forEach(product ->
                transaction.publish(TopicCatalog.PRODUCTS, product.getId(), product)));
        log.info("products published count={} firstProductId={}", batch.size(), batch.getFirst().getId());
    }

    private static String hash(Product product) {
        return ProductText.hash(product.getTitle(), product.getBrand(), product.getDescription(), product.getTags());
    }
}
