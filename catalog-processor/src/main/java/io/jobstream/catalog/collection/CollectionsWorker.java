package io.jobstream.catalog.collection;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.events.CollectionFilters;
import io.jobstream.events.CuratedCollectionsRequested;
import io.jobstream.store.product.CollectionRepository;
import io.jobstream.store.product.CuratedCollection;
import io.jobstream.store.product.ProductFilter;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.store.product.ProductVector;

/**
 * The curated-collections queue's worker (seed 004's worker-level check included): a (surface,
 * date) that has collections is skipped; otherwise the filtered products' current vectors are
 * clustered into the day's collections, stored in one transaction.
 */
public final class CollectionsWorker implements JobHandler<CuratedCollectionsRequested, CollectionsResult> {

    /** Seed 004's surfaces. */
    public static final Set<String> SURFACES = Set.of("home", "discovery", "occasion");
    public static final int MAX_COLLECTIONS = 50;
    public static final int MAX_PRODUCTS_PER_COLLECTION = 100;
    static final String PROVIDER = "local:kmeans+tfidf";

    private static final Logger log = LoggerFactory.getLogger(CollectionsWorker.class);

    private final ProductRepository products;
    private final CollectionRepository collections;
    private final CollectionBuilder builder;
    private final String model;

    public CollectionsWorker(ProductRepository products, CollectionRepository collections, String model, long seed,
                             int maxIterations) {
        this.products = products;
        this.collections = collections;
        this.builder = new CollectionBuilder(seed, maxIterations);
        this.model = model;
    }

    @Override
    public CollectionsResult handle(Job<CuratedCollectionsRequested> job) {
        CuratedCollectionsRequested request = job.data();
        String surface = request.getSurface();
        LocalDate date = date(request, job);
        check(request);
        if (collections.exists(surface, date)) {
            log.info("curated collections exist, skipped jobId={} surface={} date={}", job.id(), surface, date);
            return new CollectionsResult(surface, date.toString(), true, null, null, null);
        }
        long started = System.nanoTime();
        CollectionFilters filters = request.getFilters();
        List<ProductVector> candidates = products.withVectors(model,
                new ProductFilter(filters.getIsFeatured(), filters.getMinPrice(), filters.getMaxPrice()));
        job.progress(30, "cluster");
        List<CollectionBuilder.Built> built = builder.build(candidates, request.getCollectionsCount(),
                request.getProductsPerCollection());
        List<CuratedCollection> rows = new ArrayList<>();
        for (int i = 0; i < built.size(); i++) {
            CollectionBuilder.Built collection = built.get(i);
            rows.add(new CuratedCollection(surface, date, i + 1, collection.title(), collection.keywords(),
                    collection.productIds(), PROVIDER, job.id(), null));
        }
        job.progress(90, "store");
        if (!rows.isEmpty() && !collections.saveAll(rows)) {
            log.info("curated collections stored meanwhile by another run, skipped jobId={} surface={} date={}",
                    job.id(), surface, date);
            return new CollectionsResult(surface, date.toString(), true, null, null, null);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("curated collections built jobId={} surface={} date={} candidates={} collections={} buildMillis={}",
                job.id(), surface, date, candidates.size(), rows.size(), millis);
        return new CollectionsResult(surface, date.toString(), false, candidates.size(),
                rows.stream().map(c -> new CollectionsResult.Summary(c.position(), c.title(), c.productIds().size())).toList(),
                millis);
    }

    /** The job's date; a scheduled job has none and builds the day it was added (UTC). */
    private static LocalDate date(CuratedCollectionsRequested request, Job<?> job) {
        if (request.getDate() == null) {
            return LocalDate.ofInstant(job.metadata().enqueuedAt(), ZoneOffset.UTC);
        }
        try {
            return LocalDate.parse(request.getDate());
        } catch (DateTimeParseException e) {
            throw new PermanentJobException("date: must be an ISO date (yyyy-MM-dd), got '" + request.getDate() + "'");
        }
    }

    private static void check(CuratedCollectionsRequested request) {
        if (!SURFACES.contains(request.getSurface())) {
            throw new PermanentJobException("surface: must be one of " + SURFACES.stream().sorted().toList()
                    + ", got '" + request.getSurface() + "'");
        }
        if (request.getCollectionsCount() < 1 || request.getCollectionsCount() > MAX_COLLECTIONS) {
            throw new PermanentJobException("collectionsCount: must be 1.." + MAX_COLLECTIONS);
        }
        if (request.getProductsPerCollection() < 1 || request.getProductsPerCollection() > MAX_PRODUCTS_PER_COLLECTION) {
            throw new PermanentJobException("productsPerCollection: must be 1.." + MAX_PRODUCTS_PER_COLLECTION);
        }
        CollectionFilters filters = request.getFilters();
        if (filters.getMinPrice() != null && filters.getMaxPrice() != null && filters.getMinPrice() > filters.getMaxPrice()) {
            throw new PermanentJobException("filters.minPrice: must not exceed filters.maxPrice");
        }
    }
}
