package io.jobstream.ingest.document;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.jobstream.store.document.DocumentRepositories;

/**
 * Uploads go to the content database (migrated by document-pipeline) before their job is added; the
 * pipeline's results are read from it by {@code /api/documents}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DocumentProperties.class)
@Import(DocumentRepositories.class)
public class DocumentStoreConfiguration {
}
