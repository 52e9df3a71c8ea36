package io.jobstream.ingest.document;

import javax.sql.DataSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.store.document.DocumentUploads;

/** Uploads go to the content database (migrated by document-pipeline) before their job is added. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DocumentProperties.class)
public class DocumentStoreConfiguration {

    @Bean
    public DocumentUploads documentUploads(DataSource dataSource) {
        return new DocumentUploads(dataSource);
    }
}
