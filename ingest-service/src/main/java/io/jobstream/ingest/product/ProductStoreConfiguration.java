package io.jobstream.ingest.product;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.jobstream.store.product.ProductRepositories;

/** Read access to the catalog tables catalog-processor writes (and migrates). */
@Configuration(proxyBeanMethods = false)
@Import(ProductRepositories.class)
public class ProductStoreConfiguration {
}
