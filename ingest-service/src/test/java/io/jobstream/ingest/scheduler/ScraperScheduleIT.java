package io.jobstream.ingest.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.dispatch.DispatchProcessorApplication;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000's auto-scraping switched on ({@code ENABLE_AUTO_SCRAPING=true} is
 * {@code jobstream.schedulers.scrape-posts.enabled=true}): the declared six-hourly scheduler exists
 * on the {@code scraper.runs} queue, and its jobs reach the actor through dispatch-processor.
 */
class ScraperScheduleIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOKEN = "actor-token";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path processorDir;

    static final List<String> actorBodies = new CopyOnWriteArrayList<>();
    static final List<String> actorTokens = new CopyOnWriteArrayList<>();
    static HttpServer actor;
    static IngestInstance ingest;
    static ConfigurableApplicationContext processor;

    @BeforeAll
    static void start() throws Exception {
        actor = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        actor.createContext("/runs", exchange -> {
            actorTokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
            actorBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"data\":{\"id\":\"run-1\",\"status\":\"READY\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        actor.start();
        processor = DispatchProcessorApplication.builder().run(ServiceArguments.processor(FreePorts.next(), kafka, postgres,
                processorDir, "--jobstream.kafka.application-id=dispatch-schedule-test",
                "--jobstream.scraper.actor-run-url=http://localhost:" + actor.getAddress().getPort() + "/runs",
                "--jobstream.scraper.token=" + TOKEN));
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-scraper-schedule-test", ingestDir, 0,
                "--jobstream.schedulers.scrape-posts.enabled=true");
        Await.until(WAIT, "both services to run", () -> ingest.isRunning()
                && processor.getBean(ManagedStreams.class).streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        ingest.close();
        processor.close();
        actor.stop(0);
    }

    @Test
    void theSixHourlyScraperSchedulerRunsTheActorThroughTheScraperQueue() {
        String uri = "/api/queues/scraper.runs/schedulers/scrape-posts";
        JsonNode[] scheduler = new JsonNode[1];
        Await.until(WAIT, "the declared scheduler", () -> {
            Http.Response answer = Http.get(ingest.uri(uri));
            scheduler[0] = answer.body().path("scheduler");
            return answer.status() == 200;
        });
        assertThat(scheduler[0].path("pattern").asString()).isEqualTo("0 */6 * * *");
        assertThat(scheduler[0].path("template").path("name").asString()).isEqualTo("scrape-posts");
        assertThat(scheduler[0].path("template").path("data").path("maxItems").asInt()).isEqualTo(100);
        ZonedDateTime next = Instant.parse(scheduler[0].path("nextRun").asString()).atZone(ZoneOffset.UTC);
        assertThat(next.getHour() % 6).isZero();
        assertThat(next.getMinute()).isZero();
        assertThat(Duration.between(Instant.now(), next.toInstant())).isLessThanOrEqualTo(Duration.ofHours(6));

        // The same scheduler ticking now, once, instead of at the next multiple of six hours.
        Http.Response changed = Http.send(HttpRequest.newBuilder(ingest.uri(uri))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"every": 1000, "limit": 1, "template": {"name": "scrape-posts", "data": {"maxItems": 100, "triggeredBy": "schedule"}}}"""))
                .build());
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        Await.until(WAIT, "the actor run", () -> !actorBodies.isEmpty());
        assertThat(actorBodies.getFirst()).isEqualTo("{\"maxItems\":100}");
        assertThat(actorTokens.getFirst()).isEqualTo("Bearer " + TOKEN);
        JsonNode[] jobs = new JsonNode[1];
        Await.until(WAIT, "the scraper job to complete", () -> {
            jobs[0] = Http.get(ingest.uri("/api/jobs?queue=scraper.runs&state=completed")).body().path("jobs");
            return jobs[0].size() == 1;
        });
        assertThat(jobs[0].get(0).path("id").asString()).startsWith("scrape-posts:");
        assertThat(jobs[0].get(0).path("returnValue").path("runId").asString()).isEqualTo("run-1");
        assertThat(actorBodies).hasSize(1);
    }
}
