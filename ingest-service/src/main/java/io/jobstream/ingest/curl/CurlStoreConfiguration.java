package io.jobstream.ingest.curl;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.store.api.ApiResourceRepository;

/** The resources curl-processor writes (it migrates the content database), read by the resources route. */
@Configuration(proxyBeanMethods = false)
public class CurlStoreConfiguration {

    @Bean
    public ApiResourceRepository apiResourceRepository(DataSource dataSource) {
        return new ApiResourceRepository(dataSource);
    }
}
