package io.jobstream.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors raised before a request reaches a controller (Tomcat's own rejections, the servlet error
 * page) answer in the API's error shape, not Tomcat's HTML page. Raw requests, so no client
 * normalises the path first.
 */
class ErrorResponsesTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    private static IngestInstance ingest;

    @BeforeAll
    static void start() {
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-error-test", dataDir, 0);
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void anEncodedSlashInThePathIsABadRequestInJson() throws IOException {
        RawResponse response = get("/api/jobs/..%2F..%2Fetc");

        assertThat(response.status()).isEqualTo(400);
        assertApiError(response);
    }

    @Test
    void aMalformedPercentEscapeIsABadRequestInJson() throws IOException {
        RawResponse response = get("/api/jobs/%zz");

        assertThat(response.status()).isEqualTo(400);
        assertApiError(response);
    }

    @Test
    void theServletErrorPageAnswersInJson() throws IOException {
        RawResponse response = get("/error");

        assertThat(response.status()).isGreaterThanOrEqualTo(400);
        assertApiError(response);
    }

    /** The one error type writes exactly the bytes the API has always answered, with and without a field. */
    @Test
    void controllerErrorsKeepTheirExactShape() throws IOException {
        Await.until(Duration.ofSeconds(60), "the service to run", ingest::isRunning);

        RawResponse unknownJob = get("/api/jobs/nope");
        assertThat(unknownJob.status()).isEqualTo(404);
        assertThat(unknownJob.body())
                .isEqualTo("{\"success\":false,\"message\":\"Job not found\",\"error\":{\"field\":\"id\",\"reason\":\"no job with id nope\"}}");

        RawResponse unknownRoute = get("/api/nothing-here");
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.body()).startsWith("{\"success\":false,\"message\":\"Not Found\",\"error\":{\"reason\":\"")
                .endsWith("\"}}");
    }

    private static void assertApiError(RawResponse response) {
        assertThat(response.headers().toLowerCase()).contains("content-type: application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("success").isBoolean()).isTrue();
        assertThat(body.path("success").asBoolean()).isFalse();
        assertThat(body.path("message").asString()).isNotBlank();
        assertThat(body.path("error").path("reason").asString()).isNotBlank();
    }

    private static RawResponse get(String rawPath) throws IOException {
        URI base = ingest.uri("/");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String head = raw.substring(0, split);
            String body = raw.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            int status = Integer.parseInt(head.substring(head.indexOf(' ') + 1, head.indexOf(' ') + 4));
            return new RawResponse(status, head, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private record RawResponse(int status, String headers, String body) {
    }
}
