package io.jobstream.ingest.product;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.store.product.CollectionRepository;
import io.jobstream.store.product.ProductEnrichmentRepository;
import io.jobstream.store.product.ProductRepository;

/** Read access to the catalog tables catalog-processor writes (and migrates). */
@Configuration(proxyBeanMethods = false)
public class ProductStoreConfiguration {

    @Bean
    public ProductRepository productRepository(DataSource dataSource) {
        return new ProductRepository(dataSource);
    }

    @Bean
    public ProductEnrichmentRepository productEnrichmentRepository(DataSource dataSource) {
        return new ProductEnrichmentRepository(dataSource);
    }

    @Bean
    public CollectionRepository collectionRepository(DataSource dataSource) {
        return new CollectionRepository(dataSource);
    }
}
