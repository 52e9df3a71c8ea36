package io.jobstream.ingest.embedding;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.store.PostRepository;

/** Read access to the content database the embedding processor writes (and migrates). */
@Configuration(proxyBeanMethods = false)
public class ContentStoreConfiguration {

    @Bean
    public PostRepository postRepository(DataSource dataSource) {
        return new PostRepository(dataSource);
    }
}
