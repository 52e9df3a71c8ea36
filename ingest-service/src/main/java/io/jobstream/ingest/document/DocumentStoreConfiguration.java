package io.jobstream.ingest.document;

import javax.sql.DataSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.store.document.DocumentRepository;
import io.jobstream.store.document.DocumentTexts;
import io.jobstream.store.document.DocumentUploads;

/**
 * Uploads go to the content database (migrated by document-pipeline) before their job is added; the
 * pipeline's results are read from it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DocumentProperties.class)
public class DocumentStoreConfiguration {

    @Bean
    public DocumentUploads documentUploads(DataSource dataSource) {
        return new DocumentUploads(dataSource);
    }

    /** The pipeline's results, read by {@code /api/documents}. */
    @Bean
    public DocumentRepository documentRepository(DataSource dataSource) {
        return new DocumentRepository(dataSource);
    }

    @Bean
    public DocumentTexts documentTexts(DataSource dataSource) {
        return new DocumentTexts(dataSource);
    }
}
