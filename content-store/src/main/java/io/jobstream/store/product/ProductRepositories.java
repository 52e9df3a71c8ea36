package io.jobstream.store.product;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The catalog tables' repositories, for a service to {@code @Import}: catalog-processor writes (and migrates)
 * them, ingest-service reads them.
 */
@Configuration(proxyBeanMethods = false)
public class ProductRepositories {

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
