package io.jobstream.ingest.product;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.content.ProductText;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.ProductEnrichmentRequested;
import io.jobstream.ingest.embedding.EmbeddingJob;
import io.jobstream.ingest.embedding.EmbeddingJobs;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.store.product.ProductEnrichment;
import io.jobstream.store.product.StoredProduct;
import io.jobstream.topics.TopicCatalog;

/**
 * Seed 004's {@code enqueueProductProcessing}: a product's embedding job and enrichment job, added
 * in one transaction; a job still unfinished under its id is kept and returned instead.
 */
@Service
public class ProductProcessing {

    private static final Logger log = LoggerFactory.getLogger(ProductProcessing.class);

    private final JobPublisher publisher;
    private final UnfinishedJobs unfinished;
    private final EmbeddingJobs embeddingJobs;

    public ProductProcessing(JobPublisher publisher, UnfinishedJobs unfinished, EmbeddingJobs embeddingJobs) {
        this.publisher = publisher;
        this.unfinished = unfinished;
        this.embeddingJobs = embeddingJobs;
    }

    public record Queued(QueuedJob embeddingJob, QueuedJob enrichmentJob) {
    }

    /**
     * @param promptVersion null for the enrichment queue's default recipe
     * @param stored        the product's stored enrichment, whose version the job carries as the caller's
     */
    public Queued process(StoredProduct product, String triggeredBy, String promptVersion, Optional<ProductEnrichment> stored) {
        String text = ProductText.of(product.title(), product.brand(), product.description(), product.tags());
        EmbeddingJob embedding = new EmbeddingJob(ProductJobs.embeddingJobId(product.productId()), ProductJobs.EMBEDDING_JOB_TYPE,
                ProductJobs.key(product.productId()), ProductJobs.ENTITY_TYPE, product.productId(), text, product.textHash(),
                null, null, ProductJobs.EMBEDDING_PRIORITY, Duration.ZERO, triggeredBy, null, null, Map.of());
        ProductEnrichmentRequested.Builder enrichment = ProductEnrichmentRequested.newBuilder()
                .setProductId(product.productId())
                .setTriggeredBy(triggeredBy)
                .setCurrentEnrichmentVersion(stored.map(ProductEnrichment::version).orElse(0));
        if (promptVersion != null) {
            enrichment.setPromptVersion(promptVersion);
        }
        String enrichmentId = ProductJobs.enrichmentJobId(product.productId());
        JobSubmission<ProductEnrichmentRequested> enrichmentJob = JobSubmission.of(enrichmentId, ProductJobs.ENRICHMENT_JOB_TYPE,
                        enrichment.build())
                .withKey(ProductJobs.key(product.productId()))
                .withPriority(ProductJobs.ENRICHMENT_PRIORITY);

        Optional<JobSnapshot> existingEmbedding = unfinished.find(embedding.jobId());
        Optional<JobSnapshot> existingEnrichment = unfinished.find(enrichmentId);
        List<SubmittedJob> added = new ArrayList<>();
        if (existingEmbedding.isEmpty() || existingEnrichment.isEmpty()) {
            added.addAll(publisher.inTransaction(batch -> {
                if (existingEmbedding.isEmpty()) {
                    batch.submit(TopicCatalog.EMBEDDING, embeddingJobs.submission(embedding));
                }
                if (existingEnrichment.isEmpty()) {
                    batch.submit(TopicCatalog.PRODUCT_ENRICHMENT, enrichmentJob);
                }
            }));
        }
        QueuedJob embeddingAnswer = existingEmbedding.map(job -> QueuedJob.existing(TopicCatalog.EMBEDDING.queue(), job))
                .orElseGet(() -> QueuedJob.added(added.getFirst()));
        QueuedJob enrichmentAnswer = existingEnrichment.map(job -> QueuedJob.existing(TopicCatalog.PRODUCT_ENRICHMENT.queue(), job))
                .orElseGet(() -> QueuedJob.added(added.getLast()));
        log.info("product processing queued productId={} embeddingJobId={} embeddingDuplicate={} enrichmentJobId={} "
                        + "enrichmentDuplicate={} triggeredBy={}", product.productId(), embeddingAnswer.jobId(),
                embeddingAnswer.duplicate(), enrichmentAnswer.jobId(), enrichmentAnswer.duplicate(), triggeredBy);
        return new Queued(embeddingAnswer, enrichmentAnswer);
    }
}
