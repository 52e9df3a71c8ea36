package io.jobstream.catalog;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.ai.embedding.LocalMiniLmEmbeddings;
import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.avro.AvroSerde;
import io.jobstream.catalog.collection.CollectionsWorker;
import io.jobstream.catalog.enrichment.EnrichmentWorker;
import io.jobstream.catalog.enrichment.LocalProductEnricher;
import io.jobstream.catalog.enrichment.OpenAiProductEnricher;
import io.jobstream.catalog.enrichment.ProductEnricher;
import io.jobstream.catalog.product.ProductJobsDerivation;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.queue.JobWorker;
import io.jobstream.events.CuratedCollectionsRequested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.Product;
import io.jobstream.events.ProductEnrichmentRequested;
import io.jobstream.store.product.CollectionRepository;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.store.product.ProductRepositories;
import io.jobstream.store.product.ProductRepository;
import io.jobstream.topics.TopicCatalog;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CatalogProperties.class, EmbeddingProperties.class, ChatProperties.class})
@Import(ProductRepositories.class)
public class CatalogProcessorConfiguration {

    private static final String PRODUCTS = "products";
    private static final String DERIVE = "product-jobs-derive";

    /** The bundled MiniLM, whatever model the embedding processor stores with: the offline enricher's categories. */
    @Bean(destroyMethod = "close")
    public LocalMiniLmEmbeddings enrichmentModel(EmbeddingProperties embedding) {
        return new LocalMiniLmEmbeddings(embedding.local().parallelism());
    }

    @Bean
    public ProductEnricher productEnricher(CatalogProperties properties, LocalMiniLmEmbeddings model, ChatProperties chat) {
        CatalogProperties.Enrichment enrichment = properties.enrichment();
        return switch (enrichment.provider()) {
            case LOCAL -> new LocalProductEnricher(model, enrichment.taxonomy(), enrichment.attributes(), enrichment.maxTags(),
                    enrichment.maxDescriptionChars());
            case OPENAI -> new OpenAiProductEnricher(chat.openai(), enrichment.taxonomy(), enrichment.attributes(),
                    enrichment.maxTags(), enrichment.maxDescriptionChars());
        };
    }

    @Bean
    public JobWorker<ProductEnrichmentRequested> productEnrichmentWorker(ProductRepository products,
                                                                         ProductEnrichmentRepository enrichments,
                                                                         ProductEnricher enricher) {
        return JobWorker.avro(TopicCatalog.PRODUCT_ENRICHMENT.queue(), ProductEnrichmentRequested.class,
                new EnrichmentWorker(products, enrichments, enricher));
    }

    @Bean
    public JobWorker<CuratedCollectionsRequested> curatedCollectionsWorker(ProductRepository products,
                                                                           CollectionRepository collections,
                                                                           CatalogProperties properties) {
        CatalogProperties.Collections settings = properties.collections();
        return JobWorker.avro(TopicCatalog.CURATED_COLLECTIONS.queue(), CuratedCollectionsRequested.class,
                new CollectionsWorker(products, collections, settings.model(), settings.seed(), settings.maxIterations()));
    }

    /**
     * products ─► ProductJobsDerivation (products table; store: product id → text hash of the last jobs derived)
     *               ├─► embedding.requests           (product-embedding:{id}, worked by embedding-processor)
     *               ├─► product-enrichment.requests  (product-enrichment:{id})
     *               └─► jobs.events                  (their QUEUED events)
     * The two queues' workers are added by pipeline-core from the JobWorker beans.
     */
    @Bean
    public Topology catalogTopology(ProductRepository products, CatalogProperties properties, QueueProperties queues) {
        int embeddingAttempts = queues.queue(TopicCatalog.EMBEDDING.queue()).retry().policy().attempts();
        int enrichmentAttempts = queues.queue(TopicCatalog.PRODUCT_ENRICHMENT.queue()).retry().policy().attempts();
        return new Topology()
                .addSource(PRODUCTS, new StringDeserializer(), AvroSerde.of(Product.class).deserializer(), TopicCatalog.PRODUCTS)
                .addProcessor(DERIVE, () -> new ProductJobsDerivation(products, properties.promptVersion(), embeddingAttempts,
                        enrichmentAttempts), PRODUCTS)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ProductJobsDerivation.STORE),
                        Serdes.String(), Serdes.String()), DERIVE)
                .addSink(ProductJobsDerivation.EMBEDDING_JOBS, TopicCatalog.EMBEDDING.requests(), new StringSerializer(),
                        AvroSerde.of(EmbeddingRequested.class).serializer(), DERIVE)
                .addSink(ProductJobsDerivation.ENRICHMENT_JOBS, TopicCatalog.PRODUCT_ENRICHMENT.requests(), new StringSerializer(),
                        AvroSerde.of(ProductEnrichmentRequested.class).serializer(), DERIVE)
                .addSink(ProductJobsDerivation.EVENTS, TopicCatalog.JOB_EVENTS, new StringSerializer(),
                        AvroSerde.of(JobEvent.class).serializer(), DERIVE);
    }
}
