package io.jobstream.catalog.product;

import java.time.Instant;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jobstream.core.content.ProductText;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.database.DatabaseOutages;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.Product;
import io.jobstream.events.ProductEnrichmentRequested;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the products table and derives each product's jobs from the products topic, whoever
 * published the product: the row is written first (so the jobs find it), then a new product, or one
 * whose text hash differs from the last jobs derived for it, gets its embedding job and its
 * enrichment job with their QUEUED events, in the task's transaction with the store update. A
 * price or flag change alone updates the row and derives nothing; a replay derives nothing.
 */
public final class ProductJobsDerivation implements Processor<String, Product, String, SpecificRecord> {

    /** Product id → text hash of the last jobs derived for it (changelogged). */
    public static final String STORE = "product-text-hashes";
    public static final String EMBEDDING_JOBS = "product-embedding-jobs";
    public static final String ENRICHMENT_JOBS = "product-enrichment-jobs";
    public static final String EVENTS = "product-job-events";
    static final String TRIGGERED_BY = TopicCatalog.PRODUCTS;

    private static final Logger log = LoggerFactory.getLogger(ProductJobsDerivation.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProductRepository products;
    private final String promptVersion;
    private final int embeddingAttempts;
    private final int enrichmentAttempts;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, String> derived;

    /** @param promptVersion null: the job schema's default */
    public ProductJobsDerivation(ProductRepository products, String promptVersion, int embeddingAttempts, int enrichmentAttempts) {
        this.products = products;
        this.promptVersion = promptVersion;
        this.embeddingAttempts = embeddingAttempts;
        this.enrichmentAttempts = enrichmentAttempts;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.derived = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Product> record) {
        Product product = record.value();
        if (product == null) {
            DatabaseOutages.waitOut("delete product " + record.key(), () -> products.delete(record.key()));
            derived.delete(record.key());
            return;
        }
        // Thrown, so the processing handler dead-letters the record with this reason and goes on.
        ProductChecks.problem(product).ifPresent(problem -> {
            throw new IllegalArgumentException("product " + product.getId() + ": " + problem);
        });
        String text = ProductText.of(product.getTitle(), product.getBrand(), product.getDescription(), product.getTags());
        String hash = TextHash.of(text);
        StoredProduct stored = new StoredProduct(product.getId(), product.getTitle(), product.getDescription(), product.getBrand(),
                product.getPrice(), product.getCurrency(), product.getIsFeatured(), product.getTags(), product.getUpdatedAt(), hash);
        DatabaseOutages.waitOut("store product " + product.getId(), () -> products.upsert(List.of(stored)));
        String previous = derived.get(product.getId());
        if (hash.equals(previous)) {
            log.debug("product text unchanged, no jobs derived productId={} textHash={}", product.getId(), hash);
            return;
        }
        derived.put(product.getId(), hash);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        emitEmbedding(product.getId(), text, hash, previous, now);
        emitEnrichment(product.getId(), now);
        log.info("product jobs derived productId={} embeddingJobId={} enrichmentJobId={} textHash={} previousTextHash={}",
                product.getId(), ProductJobs.embeddingJobId(product.getId()), ProductJobs.enrichmentJobId(product.getId()),
                hash, previous);
    }

    private void emitEmbedding(String productId, String text, String hash, String previousHash, Instant now) {
        String jobId = ProductJobs.embeddingJobId(productId);
        EmbeddingRequested request = EmbeddingRequested.newBuilder()
                .setJobId(jobId)
                .setEntityType(ProductJobs.ENTITY_TYPE)
                .setEntityId(productId)
                .setText(text)
                .setTextHash(hash)
                .setPreviousTextHash(previousHash)
                .setPriority(ProductJobs.EMBEDDING_PRIORITY)
                .setTriggeredBy(TRIGGERED_BY)
                .build();
        JobMetadata job = new JobMetadata(jobId, ProductJobs.EMBEDDING_JOB_TYPE, 1, embeddingAttempts, now, null, null,
                ProductJobs.EMBEDDING_PRIORITY);
        // The hash identifies the text, which stays out of the status store.
        String data = JSON.writeValueAsString(new EmbeddingJobData(ProductJobs.ENTITY_TYPE, productId, hash, previousHash,
                ProductJobs.EMBEDDING_PRIORITY, TRIGGERED_BY));
        emit(TopicCatalog.EMBEDDING.queue(), job, ProductJobs.key(productId), request, data, EMBEDDING_JOBS, now);
    }

    private void emitEnrichment(String productId, Instant now) {
        String jobId = ProductJobs.enrichmentJobId(productId);
        ProductEnrichmentRequested.Builder builder = ProductEnrichmentRequested.newBuilder()
                .setProductId(productId)
                .setTriggeredBy(TRIGGERED_BY);
        if (promptVersion != null) {
            builder.setPromptVersion(promptVersion);
        }
        ProductEnrichmentRequested request = builder.build();
        JobMetadata job = new JobMetadata(jobId, ProductJobs.ENRICHMENT_JOB_TYPE, 1, enrichmentAttempts, now, null, null,
                ProductJobs.ENRICHMENT_PRIORITY);
        emit(TopicCatalog.PRODUCT_ENRICHMENT.queue(), job, ProductJobs.key(productId), request, request.toString(),
                ENRICHMENT_JOBS, now);
    }

    private void emit(String queue, JobMetadata job, String key, SpecificRecord request, String data, String child, Instant now) {
        RecordHeaders headers = new RecordHeaders();
        job.writeTo(headers);
        long at = now.toEpochMilli();
        context.forward(new Record<>(key, request, at, headers), child);
        context.forward(new Record<String, SpecificRecord>(job.jobId(), JobEvents.queued(queue, job, data, now), at), EVENTS);
    }

    /** The embedding job's data as the status API shows it, as the embedding routes show it. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record EmbeddingJobData(String entityType, String entityId, String textHash, String previousTextHash, int priority,
                            String triggeredBy) {
    }
}
