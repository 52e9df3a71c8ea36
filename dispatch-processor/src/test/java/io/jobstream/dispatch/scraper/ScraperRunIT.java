package io.jobstream.dispatch.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.dispatch.DispatchProcessorApplication;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 000's scraper runs against a fake Apify-compatible actor endpoint: the request it gets, the
 * token, a 503 retried and a 401 dead-lettered.
 */
class ScraperRunIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOKEN = "apify_api_s3cr3t-token";
    private static final QueueTopics QUEUE = TopicCatalog.queue(ScraperConfiguration.QUEUE);
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    static Path dataDir;

    record ActorRequest(String method, String path, String query, String authorization, String contentType, String body) {
    }

    static final List<ActorRequest> requests = new CopyOnWriteArrayList<>();
    static final Deque<Integer> statuses = new ArrayDeque<>();
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static HttpServer actor;
    static ConfigurableApplicationContext processor;
    static JobPublisher publisher;
    static TopicTail events;
    static TopicTail deadLetters;

    @BeforeAll
    static void start() throws IOException {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        actor = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        actor.createContext("/v2/acts/scraper~posts/runs", exchange -> {
            requests.add(new ActorRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Integer scripted;
            synchronized (statuses) {
                scripted = statuses.pollFirst();
            }
            int status = scripted == null ? 201 : scripted;
            byte[] body = (status == 201
                    ? "{\"data\":{\"id\":\"run-" + requests.size() + "\",\"status\":\"RUNNING\",\"defaultDatasetId\":\"ds-1\"}}"
                    : "{\"error\":{\"type\":\"status-" + status + "\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        actor.start();
        String actorUrl = "http://localhost:" + actor.getAddress().getPort() + "/v2/acts/scraper~posts/runs";
        processor = DispatchProcessorApplication.builder().run(ServiceArguments.processor(FreePorts.next(), kafka, postgres, dataDir,
                "--jobstream.kafka.application-id=dispatch-scraper-test",
                "--jobstream.scraper.actor-run-url=" + actorUrl,
                "--jobstream.scraper.token=" + TOKEN,
                "--jobstream.scraper.webhook-url=http://ingest.example/api/content/ingest/webhook",
                "--jobstream.queues[scraper.runs].retry.base-delay=200ms"));
        Await.until(WAIT, "the processor to run",
                () -> processor.getBean(ManagedStreams.class).streams().state() == KafkaStreams.State.RUNNING);
        publisher = new JobPublisher(kafka.bootstrapServers(), "scraper-test", 1);
        events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
        deadLetters = new TopicTail(kafka.bootstrapServers(), QUEUE.deadLetters());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        deadLetters.close();
        events.close();
        publisher.close();
        processor.close();
        actor.stop(0);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @BeforeEach
    void clear() {
        requests.clear();
    }

    @Test
    void aRunIsStartedWithTheTokenAndMaxItemsAndTheIngestWebhook() {
        submit("scrape-posts:1", "{\"triggeredBy\":\"schedule\"}");

        JobEvent done = awaitEvent("scrape-posts:1", JobState.COMPLETED);
        assertThat(requests).hasSize(1);
        ActorRequest request = requests.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"maxItems\":100}"));
        assertThat(request.query()).startsWith("webhooks=");
        String webhooks = new String(Base64.getDecoder().decode(
                URLDecoder.decode(request.query().substring("webhooks=".length()), StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        JsonNode webhook = JSON.readTree(webhooks).get(0);
        assertThat(webhook.get("requestUrl").asString()).isEqualTo("http://ingest.example/api/content/ingest/webhook");
        assertThat(webhook.get("eventTypes").get(0).asString()).isEqualTo("ACTOR.RUN.SUCCEEDED");

        JsonNode result = JSON.readTree(done.getReturnValue());
        assertThat(result.get("runId").asString()).isEqualTo("run-1");
        assertThat(result.get("datasetId").asString()).isEqualTo("ds-1");
        assertThat(result.get("maxItems").asInt()).isEqualTo(100);
        assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(TOKEN));
    }

    @Test
    void aJobsOwnMaxItemsWins() {
        submit("scrape-posts:small", "{\"maxItems\":5}");

        awaitEvent("scrape-posts:small", JobState.COMPLETED);
        assertThat(JSON.readTree(requests.getFirst().body()).get("maxItems").asInt()).isEqualTo(5);
    }

    @Test
    void anUnavailableOrBusyActorIsRetried() {
        script(503, 429);
        submit("scrape-posts:retried", "{}");

        JobEvent done = awaitEvent("scrape-posts:retried", JobState.COMPLETED);
        assertThat(done.getAttempt()).isEqualTo(3);
        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(eventsOf("scrape-posts:retried", JobState.RETRY_SCHEDULED)).hasSize(2);
    }

    @Test
    void aRefusedTokenDeadLettersTheJobAtOnce() {
        script(401);
        submit("scrape-posts:unauthorized", "{}");

        JobEvent dead = awaitEvent("scrape-posts:unauthorized", JobState.DEAD_LETTERED);
        assertThat(dead.getAttempt()).isEqualTo(1);
        assertThat(dead.getErrorMessage()).contains("HTTP 401");
        assertThat(requests).hasSize(1);
        Await.until(WAIT, "the dead letter", () -> deadLetters.records().stream().anyMatch(r -> r.key().equals("scrape-posts:unauthorized")));
        ConsumerRecord<String, byte[]> letter = deadLetters.records().stream()
                .filter(r -> r.key().equals("scrape-posts:unauthorized")).findFirst().orElseThrow();
        assertThat(new String(letter.headers().lastHeader("dlq-exception-message").value(), StandardCharsets.UTF_8))
                .contains("actor run refused: HTTP 401");
        assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(TOKEN));
    }

    private static void script(Integer... answers) {
        synchronized (statuses) {
            statuses.addAll(List.of(answers));
        }
    }

    private static void submit(String jobId, String data) {
        publisher.submit(QUEUE, JobSubmission.of(jobId, "scrape-posts",
                new JobRequested("scrape-posts", data, JobOptions.newBuilder().setJobId(jobId).build())));
    }

    private static JobEvent awaitEvent(String jobId, JobState state) {
        Await.until(WAIT, jobId + " " + state, () -> !eventsOf(jobId, state).isEmpty());
        return eventsOf(jobId, state).getFirst();
    }

    private static List<JobEvent> eventsOf(String jobId, JobState state) {
        return events.records().stream()
                .filter(r -> r.key().equals(jobId))
                .map(r -> EVENTS.deserialize(r.topic(), r.value()))
                .filter(e -> e.getState() == state)
                .toList();
    }
}
