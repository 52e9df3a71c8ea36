package io.jobstream.ingest.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.jobstream.core.trace.TraceParent;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.ingest.support.IngestWithWorker;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.TopicTail;

/**
 * A request's W3C {@code traceparent} becomes the job's trace: every record of the job on its queue
 * (the first attempt and the retry the timer releases) carries a {@code traceparent} of the same trace,
 * and the job's status shows its {@code traceId}; with an OTLP endpoint configured, the worker exports
 * each attempt as a span of that trace. A request without one starts a new trace.
 */
class TraceContextIT {

    private static final String QUEUE = "traced";
    private static final String[] QUEUE_ARGS = {"--jobstream.queues.traced.partitions=1", "--metered-worker.queue=" + QUEUE};
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path ingestDir;
    @TempDir
    static Path workerDir;

    static IngestWithWorker services;
    static IngestInstance ingest;
    /** A stand-in OTLP collector: the bodies of the worker's POSTs to /v1/traces. */
    static HttpServer collector;
    static final List<byte[]> exports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            exports.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        services = IngestWithWorker.start(kafka.bootstrapServers(), "trace", ingestDir, workerDir, QUEUE_ARGS,
                QUEUE_ARGS[0], QUEUE_ARGS[1],
                "--jobstream.tracing.otlp.endpoint=http://localhost:" + collector.getAddress().getPort() + "/v1/traces",
                "--jobstream.tracing.otlp.export-interval=200ms");
        ingest = services.ingest();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void theRequestsTraceFollowsTheJobThroughItsRetryToItsStatus() throws Exception {
        try (TopicTail requests = new TopicTail(kafka.bootstrapServers(), QUEUE + ".requests")) {
            HttpResponse<String> added = add("{\"failTimes\": 1}, \"opts\": {\"jobId\": \"traced-flaky\", "
                    + "\"attempts\": 2, \"backoff\": 100}", TRACEPARENT);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(added.headers().firstValue("traceparent")).hasValueSatisfying(answer ->
                    assertThat(answer).startsWith("00-" + TRACE_ID + "-").isNotEqualTo(TRACEPARENT));

            awaitCompleted("traced-flaky");
            assertThat(Http.get(ingest.uri("/api/jobs/traced-flaky")).body().path("job").path("traceId").asString())
                    .isEqualTo(TRACE_ID);
            Await.until(Duration.ofSeconds(30), "both attempts' records on the queue", () -> attempts(requests).size() == 2);
            for (ConsumerRecord<String, byte[]> record : attempts(requests)) {
                assertThat(header(record, "traceparent")).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
                assertThat(header(record, "trace-id")).isEqualTo(TRACE_ID);
            }

            // With an OTLP endpoint each attempt is a span of the trace, the child of its record's traceparent
            // (protobuf: the trace id and the parent span id travel as raw bytes).
            for (ConsumerRecord<String, byte[]> record : attempts(requests)) {
                byte[] parentSpanId = HexFormat.of().parseHex(TraceParent.parse(header(record, "traceparent")).orElseThrow().spanId());
                Await.until(Duration.ofSeconds(60), "the span of attempt " + header(record, "attempt") + " exported",
                        () -> exports.stream().anyMatch(body -> contains(body, HexFormat.of().parseHex(TRACE_ID))
                                && contains(body, parentSpanId)));
            }
        }
    }

    @Test
    void aRequestWithoutATraceStartsOne() throws Exception {
        HttpResponse<String> added = add("{}, \"opts\": {\"jobId\": \"traced-new\"}", "not-a-traceparent");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        String answer = added.headers().firstValue("traceparent").orElseThrow();
        assertThat(answer).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");

        awaitCompleted("traced-new");
        assertThat(Http.get(ingest.uri("/api/jobs/traced-new")).body().path("job").path("traceId").asString())
                .isEqualTo(answer.substring(3, 35));
    }

    private static boolean contains(byte[] body, byte[] part) {
        for (int i = 0; i + part.length <= body.length; i++) {
            if (Arrays.equals(body, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    private static List<ConsumerRecord<String, byte[]>> attempts(TopicTail requests) {
        return requests.records().stream().filter(record -> record.key().equals("traced-flaky")).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> add(String dataAndOpts, String traceparent) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(ingest.uri("/api/queues/" + QUEUE + "/jobs"))
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"trace\", \"data\": " + dataAndOpts + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitCompleted(String jobId) {
        Await.until(Duration.ofSeconds(60), jobId + " to complete", () -> "completed".equals(
                Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job").path("status").asString()));
    }
}
