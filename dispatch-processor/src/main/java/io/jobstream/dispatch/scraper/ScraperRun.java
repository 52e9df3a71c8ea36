package io.jobstream.dispatch.scraper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A {@code scraper.runs} job: starts one actor run of {@code maxItems} new posts. A 429 or 5xx (or
 * no answer) is retried after the queue's back-off or the server's Retry-After; any other 4xx (a
 * bad token, an unknown actor) dead-letters the job, since repeating it cannot help.
 */
public final class ScraperRun implements JobHandler<JsonNode, Map<String, Object>> {

    private static final Logger log = LoggerFactory.getLogger(ScraperRun.class);
    private static final int MAX_REASON_CHARS = 300;

    private final ScraperProperties properties;
    private final HttpClient http;
    private final JsonMapper json;

    public ScraperRun(ScraperProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    @Override
    public Map<String, Object> handle(Job<JsonNode> job) {
        if (!properties.configured()) {
            throw new PermanentJobException("jobstream.scraper.actor-run-url is not set: there is no scraper to run");
        }
        JsonNode requested = job.data().path("maxItems");
        if (!requested.isMissingNode() && !(requested.isIntegralNumber() && requested.asInt() >= 1)) {
            throw new PermanentJobException("data.maxItems: must be a whole number of at least 1, got " + requested);
        }
        int maxItems = requested.isMissingNode() ? properties.maxItems() : requested.asInt();
        HttpRequest.Builder request = HttpRequest.newBuilder(runUri())
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("maxItems", maxItems))));
        if (!properties.token().isEmpty()) {
            request.header("Authorization", "Bearer " + properties.token());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientJobException("actor run not started: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientJobException("actor run not started: interrupted");
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            log.warn("scraper run refused for now jobId={} attempt={} status={}", job.id(), job.attempt(), status);
            throw new TransientJobException("actor run not started: " + reason(response), retryAfter(response), null);
        }
        if (status < 200 || status >= 300) {
            log.warn("scraper run refused jobId={} status={}", job.id(), status);
            throw new PermanentJobException("actor run refused: " + reason(response));
        }
        JsonNode run = runOf(response.body());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        result.put("maxItems", maxItems);
        result.put("runId", text(run, "id"));
        result.put("runStatus", text(run, "status"));
        result.put("datasetId", text(run, "defaultDatasetId"));
        log.info("scraper run started jobId={} runId={} maxItems={}", job.id(), result.get("runId"), maxItems);
        return result;
    }

    /** The run URL, with Apify's ad-hoc webhook when one is configured. */
    private URI runUri() {
        URI base = properties.actorRunUrl();
        if (properties.webhookUrl() == null) {
            return base;
        }
        String webhooks = json.writeValueAsString(List.of(Map.of(
                "eventTypes", List.of("ACTOR.RUN.SUCCEEDED"),
                "requestUrl", properties.webhookUrl().toString())));
        String parameter = "webhooks=" + URLEncoder.encode(Base64.getEncoder().encodeToString(webhooks.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        String separator = base.getRawQuery() == null ? "?" : "&";
        return URI.create(base + separator + parameter);
    }

    /** Apify answers {@code {data: {id, status, defaultDatasetId, ...}}}; an unreadable body is no reason to run again. */
    private JsonNode runOf(String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body).path("data");
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    private static String reason(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        return "HTTP " + response.statusCode()
                + (body.isEmpty() ? "" : ": " + (body.length() > MAX_REASON_CHARS ? body.substring(0, MAX_REASON_CHARS) + "…" : body));
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        try {
            return header.map(value -> Duration.ofSeconds(Long.parseLong(value.trim()))).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
