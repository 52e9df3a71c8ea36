package io.jobstream.store.document;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The document tables' repositories, for a service to {@code @Import}: ingest-service stores uploads and reads
 * results, document-pipeline (which migrates them) reads uploads and writes texts and results.
 */
@Configuration(proxyBeanMethods = false)
public class DocumentRepositories {

    @Bean
    public DocumentUploads documentUploads(DataSource dataSource) {
        return new DocumentUploads(dataSource);
    }

    @Bean
    public DocumentTexts documentTexts(DataSource dataSource) {
        return new DocumentTexts(dataSource);
    }

    @Bean
    public DocumentRepository documentRepository(DataSource dataSource) {
        return new DocumentRepository(dataSource);
    }
}
