package io.jobstream.catalog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Seed 004's catalog jobs: the products table and its jobs, product enrichment, curated collections. */
@SpringBootApplication
public class CatalogProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(CatalogProcessorApplication.class, args);
    }
}
