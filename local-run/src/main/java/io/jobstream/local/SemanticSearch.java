package io.jobstream.local;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/** Sample queries through ingest-service's {@code GET /api/content/search} (embedding-processor answers them), printed as ranked hits. */
final class SemanticSearch {

    /** Worded unlike any post, so a hit shows meaning matched rather than words. */
    static final List<String> SAMPLE_QUERIES = List.of(
            "how do I keep my bread starter healthy",
            "affordable ways to see Europe by rail");
    static final int K = 5;
    private static final int SHOWN_TEXT_CHARS = 110;

    record Hit(String entityId, double similarity, String text) {
    }

    record Result(String query, String model, List<Hit> hits) {
    }

    private SemanticSearch() {
    }

    static String path(String query) {
        return "/api/content/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&k=" + K;
    }

    static Result search(Http http, ServiceProcess ingest, String query) {
        Http.Response response;
        try {
            response = http.get(ingest.uri(path(query)));
        } catch (IOException e) {
            throw new LaunchException("search failed: " + e.getMessage(), e);
        }
        if (!response.ok()) {
            throw new LaunchException("GET /api/content/search answered HTTP " + response.status() + ": " + response.body());
        }
        JsonNode body = response.body();
        List<Hit> hits = body.path("results").valueStream()
                .map(hit -> new Hit(hit.path("entityId").asString(), hit.path("similarity").asDouble(), hit.path("text").asString()))
                .toList();
        return new Result(query, body.path("model").asString(), hits);
    }

    static void print(Result result, Console console) {
        console.info("  \"" + result.query() + "\"  (" + result.model() + ")");
        if (result.hits().isEmpty()) {
            console.warn("no hits");
        }
        for (int rank = 0; rank < result.hits().size(); rank++) {
            Hit hit = result.hits().get(rank);
            console.info(String.format(Locale.ROOT, "    %d. %.3f  %-10s %s", rank + 1, hit.similarity(), hit.entityId(),
                    oneLine(hit.text())));
        }
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= SHOWN_TEXT_CHARS ? flat : flat.substring(0, SHOWN_TEXT_CHARS - 3) + "...";
    }
}
