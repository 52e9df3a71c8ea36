package io.jobstream.catalog.enrichment;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.events.ProductEnrichmentRequested;
import io.jobstream.store.product.ProductEnrichment;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.StoredProduct;
import tools.jackson.databind.json.JsonMapper;

/**
 * The product-enrichment queue's worker (seed 004's worker-level check included): a product whose
 * stored enrichment was made with the job's prompt version from its current text is skipped;
 * otherwise it is enriched and stored as the next version.
 */
public final class EnrichmentWorker implements JobHandler<ProductEnrichmentRequested, EnrichmentResult> {

    private static final Logger log = LoggerFactory.getLogger(EnrichmentWorker.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProductRepository products;
    private final ProductEnrichmentRepository enrichments;
    private final ProductEnricher enricher;

    public EnrichmentWorker(ProductRepository products, ProductEnrichmentRepository enrichments, ProductEnricher enricher) {
        this.products = products;
        this.enrichments = enrichments;
        this.enricher = enricher;
    }

    @Override
    public EnrichmentResult handle(Job<ProductEnrichmentRequested> job) {
        ProductEnrichmentRequested request = job.data();
        StoredProduct product = products.find(request.getProductId()).orElseThrow(() -> new PermanentJobException(
                "product " + request.getProductId() + " is unknown: publish it (PUT /api/products/{id}) first"));
        Optional<ProductEnrichment> stored = enrichments.find(product.productId());
        if (stored.isPresent() && stored.get().currentFor(request.getPromptVersion(), product.textHash())) {
            ProductEnrichment current = stored.get();
            log.info("product enrichment current, skipped jobId={} productId={} version={} promptVersion={}",
                    job.id(), product.productId(), current.version(), current.promptVersion());
            return EnrichmentResult.skipped(product.productId(), current.version(), current.promptVersion(),
                    current.provider(), current.category());
        }
        job.progress(10, "enrich");
        Enrichment enrichment = enricher.enrich(product);
        job.progress(90, "store");
        ProductEnrichment saved = enrichments.save(product.productId(), request.getPromptVersion(), product.textHash(),
                enrichment.provider(), enrichment.category(), JSON.writeValueAsString(Fields.of(enrichment)));
        log.info("product enriched jobId={} productId={} version={} promptVersion={} provider={} category={} score={}",
                job.id(), product.productId(), saved.version(), saved.promptVersion(), saved.provider(),
                enrichment.category(), enrichment.categoryScore());
        return new EnrichmentResult(product.productId(), false, saved.version(), saved.promptVersion(), saved.provider(),
                enrichment.category(), enrichment.categoryScore(), enrichment.tags(), enrichment.attributes(),
                enrichment.description());
    }

    /** The stored fields: what GET /api/products/{id} shows as the enrichment. */
    record Fields(String category, double categoryScore, List<String> tags, Map<String, List<String>> attributes,
                  String description) {

        static Fields of(Enrichment enrichment) {
            return new Fields(enrichment.category(), enrichment.categoryScore(), enrichment.tags(), enrichment.attributes(),
                    enrichment.description());
        }
    }
}
