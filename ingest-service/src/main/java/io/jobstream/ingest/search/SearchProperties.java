package io.jobstream.ingest.search;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where {@code GET /api/content/search} is answered: embedding-processor holds the models that
 * embed the query, so ingest-service passes the request on and one base URL serves every route.
 *
 * @param url     embedding-processor's base URL, e.g. {@code http://embedding-processor:8081}; blank:
 *                the route answers 503 saying so
 * @param timeout one search's limit, the query's embedding included
 */
@ConfigurationProperties("jobstream.ingest.search")
public record SearchProperties(@DefaultValue("") String url, @DefaultValue("10s") Duration timeout) {
}
