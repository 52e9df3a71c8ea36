package io.jobstream.ingest.search;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.core.web.ErrorBody;

/**
 * {@code GET /api/content/search} on ingest-service's port: the request goes to embedding-processor's
 * route of the same path with the same query string, and its answer (status and JSON body, a 400
 * naming the field included) comes back as it is.
 */
@RestController
@EnableConfigurationProperties(SearchProperties.class)
public class SearchProxyController implements AutoCloseable {

    static final String ROUTE = "/api/content/search";
    private static final Logger log = LoggerFactory.getLogger(SearchProxyController.class);

    private final SearchProperties properties;
    private final HttpClient http;

    public SearchProxyController(SearchProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(properties.timeout()).build();
    }

    @GetMapping(ROUTE)
    public ResponseEntity<?> search(HttpServletRequest request) throws InterruptedException {
        if (properties.url().isBlank()) {
            return unavailable("is not set: search is answered by embedding-processor");
        }
        String query = request.getQueryString();
        URI target = URI.create(properties.url().replaceAll("/+$", "") + ROUTE + (query == null ? "" : "?" + query));
        try {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(target).timeout(properties.timeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return ResponseEntity.status(answer.statusCode()).contentType(MediaType.APPLICATION_JSON).body(answer.body());
        } catch (IOException e) {
            log.warn("search: embedding-processor at {} did not answer: {}", properties.url(), e.toString());
            return unavailable("did not answer (" + e.getClass().getSimpleName() + "): is embedding-processor running there?");
        }
    }

    private ResponseEntity<ErrorBody> unavailable(String reason) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new ErrorBody("Search is unavailable", "jobstream.ingest.search.url", reason));
    }

    @Override
    public void close() {
        http.close();
    }
}
