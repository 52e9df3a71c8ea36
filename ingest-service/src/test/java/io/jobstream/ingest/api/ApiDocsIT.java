package io.jobstream.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document describes every route the service answers: each controller mapping Spring
 * registered (path and method) must appear in {@code /v3/api-docs}, and Swagger UI is served.
 */
class ApiDocsIT {

    private static final Duration DOCS_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path dataDir;

    static IngestInstance ingest;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-api-docs-test", dataDir, 0);
        Await.until(Duration.ofSeconds(60), "the service to run", ingest::isRunning);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    /** springdoc builds the document on its first request, scanning every controller: minutes on a loaded machine. */
    private static Http.Response apiDocs() {
        return Http.send(HttpRequest.newBuilder(ingest.uri("/v3/api-docs")).timeout(DOCS_TIMEOUT).GET().build());
    }

    @Test
    void everyControllerRouteIsInTheDocument() {
        Http.Response docs = apiDocs();
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.body().path("paths");

        List<String> routes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<RequestMappingInfo, HandlerMethod> mappings = ingest
                .bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods();
        mappings.forEach((info, handler) -> {
            // Spring's error route (what a failed request is forwarded to) is the container's, not an API route.
            if (!handler.getBeanType().getPackageName().startsWith("io.jobstream")
                    || ErrorController.class.isAssignableFrom(handler.getBeanType())) {
                return;
            }
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                String path = pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    String route = method + " " + path;
                    routes.add(route);
                    if (!paths.path(path).has(method.name().toLowerCase(Locale.ROOT))) {
                        missing.add(route + " (" + handler.getShortLogMessage() + ")");
                    }
                }
            }
        });

        assertThat(routes).as("controller routes found").hasSizeGreaterThan(40)
                .contains("POST /api/queues/{queue}/pause", "GET /api/jobs/{id}", "PUT /api/queues/{queue}/schedulers/{id}");
        assertThat(missing).as("routes missing from /v3/api-docs").isEmpty();
    }

    @Test
    void everyRouteDocumentsItsErrorResponsesWithTheErrorSchema() {
        JsonNode docs = apiDocs().body();
        JsonNode errorSchema = docs.path("components").path("schemas").path("ErrorBody");
        assertThat(errorSchema.path("properties").propertyNames()).containsExactly("success", "message", "error");

        List<String> undocumented = new ArrayList<>();
        docs.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            for (String status : List.of("400", "500", "503")) {
                if (!errorResponse(operation.getValue(), status)) {
                    undocumented.add(operation.getKey() + " " + path.getKey() + " " + status);
                }
            }
        }));
        assertThat(undocumented).as("generic error responses missing").isEmpty();

        assertThat(errorResponse(docs.path("paths").path("/api/jobs/{id}").path("get"), "404")).isTrue();
        assertThat(errorResponse(docs.path("paths").path("/api/jobs/{id}/attempts").path("get"), "404")).isTrue();
        assertThat(errorResponse(docs.path("paths").path("/api/jobs/{id}/promote").path("post"), "409")).isTrue();
        assertThat(errorResponse(docs.path("paths").path("/api/queues/{queue}/pause").path("post"), "401")).isTrue();
        JsonNode add = docs.path("paths").path("/api/queues/{queue}/jobs").path("post");
        assertThat(List.of("401", "404", "413", "415")).allMatch(status -> errorResponse(add, status));
        assertThat(docs.path("paths").path("/api/queues").path("get").path("responses").has("404"))
                .as("a route without a path variable has nothing to find").isFalse();
    }

    private static boolean errorResponse(JsonNode operation, String status) {
        return operation.path("responses").path(status).path("content").path("application/json").path("schema")
                .path("$ref").asString("").equals("#/components/schemas/ErrorBody");
    }

    @Test
    void swaggerUiIsServed() {
        Await.until(Duration.ofSeconds(10), "Swagger UI", () -> Http.text(ingest.uri("/swagger-ui/index.html")).contains("swagger"));
    }
}
