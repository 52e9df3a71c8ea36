package io.jobstream.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/** JSON over HTTP with the JDK's client. Answers keep their status: callers decide what a 404 means. */
final class Http {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** @param body the parsed JSON, or the raw text as a string node when the body is not JSON */
    record Response(int status, JsonNode body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final JsonMapper json;

    Http(JsonMapper json) {
        this.json = json;
    }

    Response get(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build());
    }

    Response post(URI uri, Object body) throws IOException {
        return send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build());
    }

    private Response send(HttpRequest request) throws IOException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + request.method() + " " + request.uri());
        }
        return new Response(response.statusCode(), parse(response.body()));
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return StringNode.valueOf(body);
        }
    }
}
