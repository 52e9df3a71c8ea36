package io.jobstream.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.ingest.support.IngestWithWorker;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;

/**
 * Known work through a real worker service, then both services' {@code /actuator/prometheus}: six
 * jobs succeed (one after a transient failure), two fail for good. The counters, the timers'
 * percentiles and histogram, the in-flight gauge, ingest's queue depth and Kafka's own metrics are read
 * from the scrape text, as Prometheus reads them.
 */
class PrometheusScrapeIT {

    private static final String QUEUE = "metered";
    private static final String[] QUEUE_ARGS = {
            "--jobstream.queues.metered.partitions=2",
            "--jobstream.queues.metered.concurrency=4"};
    private static final List<Long> SLEEPS = List.of(20L, 40L, 60L, 120L, 200L);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path ingestDir;

    @TempDir
    static Path workerDir;

    static IngestWithWorker services;
    static IngestInstance ingest;
    static int workerPort;

    @BeforeAll
    static void start() {
        services = IngestWithWorker.start(kafka.bootstrapServers(), "metrics", ingestDir, workerDir, QUEUE_ARGS, QUEUE_ARGS);
        ingest = services.ingest();
        workerPort = services.workerPort();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aScrapeAfterKnownWorkCountsItAndTimesIt() throws Exception {
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < SLEEPS.size(); i++) {
            jobIds.add(add("ok-" + i, "{\"sleepMs\": " + SLEEPS.get(i) + "}", ""));
        }
        jobIds.add(add("flaky", "{\"failTimes\": 1}", ", \"opts\": {\"attempts\": 2, \"backoff\": 100}"));
        jobIds.add(add("bad-1", "{\"fail\": true}", ""));
        jobIds.add(add("bad-2", "{\"fail\": true}", ""));
        for (String jobId : jobIds) {
            String expected = jobId.startsWith("bad") ? "failed" : "completed";
            Await.until(Duration.ofSeconds(90), jobId + " to be " + expected, () -> expected.equals(
                    Http.get(ingest.uri("/api/jobs/" + jobId)).body().path("job").path("status").asString()));
        }

        Map<String, String> job = Map.of("queue", QUEUE, "name", "meter");
        Await.until(Duration.ofSeconds(60), "the worker's counters to show every outcome",
                () -> value(scrape(workerPort), "jobstream_jobs_completed_total", job) == 6
                        && value(scrape(workerPort), "jobstream_jobs_dead_lettered_total", job) == 2);
        Scrape scrape = scrape(workerPort);
        Files.writeString(Path.of("target", "prometheus-worker-scrape.txt"), scrape.text());

        assertThat(value(scrape, "jobstream_jobs_completed_total", job)).isEqualTo(6);
        assertThat(value(scrape, "jobstream_jobs_failed_total", job)).isEqualTo(3);
        assertThat(value(scrape, "jobstream_jobs_retried_total", job)).isEqualTo(1);
        assertThat(value(scrape, "jobstream_jobs_dead_lettered_total", job)).isEqualTo(2);
        assertThat(value(scrape, "jobstream_jobs_in_flight", Map.of("queue", QUEUE))).isZero();

        // Nine attempts: five plain jobs, the flaky one twice, two that fail at once.
        assertThat(value(scrape, "jobstream_jobs_processing_seconds_count", job)).isEqualTo(9);
        assertThat(value(scrape, "jobstream_jobs_wait_seconds_count", job)).isEqualTo(9);
        double p50 = quantile(scrape, "jobstream_jobs_processing", job, "0.5");
        double p95 = quantile(scrape, "jobstream_jobs_processing", job, "0.95");
        double p99 = quantile(scrape, "jobstream_jobs_processing", job, "0.99");
        double max = value(scrape, "jobstream_jobs_processing_seconds_max", job);
        // The slowest job slept 200 ms; the quickest attempts fail at once; half took at most 60 ms of sleep.
        assertThat(p50).isBetween(0.0, 1.0);
        assertThat(p95).isGreaterThanOrEqualTo(p50);
        assertThat(p99).isGreaterThanOrEqualTo(p95).isGreaterThanOrEqualTo(0.15).isLessThanOrEqualTo(max * 1.1);
        assertThat(max).isGreaterThanOrEqualTo(0.2).isLessThan(30.0);
        assertThat(value(scrape, "jobstream_jobs_processing_seconds_bucket", with(job, "le", "+Inf"))).isEqualTo(9);
        assertThat(quantile(scrape, "jobstream_jobs_wait", job, "0.99")).isGreaterThanOrEqualTo(0.0);

        // Kafka Streams' own metrics, the consumer lag of each input partition of the worker among them.
        assertThat(scrape.names()).anyMatch(name -> name.startsWith("kafka_stream_"));
        // Not RocksDB's store gauges: reading one while a rebalance closes its store crashes the JVM (KAFKA-10025).
        assertThat(scrape.text()).doesNotContain("rocksdb_state_id");
        Await.until(Duration.ofSeconds(60), "the records-lag of both partitions of metered.requests", () -> {
            Scrape now = scrape(workerPort);
            return value(now, "kafka_consumer_fetch_manager_records_lag", Map.of("topic", "metered.requests", "partition", "0")) == 0
                    && value(now, "kafka_consumer_fetch_manager_records_lag", Map.of("topic", "metered.requests", "partition", "1")) == 0;
        });

        Scrape ingestScrape = scrape(ingest.uri("/actuator/prometheus").getPort());
        Files.writeString(Path.of("target", "prometheus-ingest-scrape.txt"), ingestScrape.text());
        Await.until(Duration.ofSeconds(30), "ingest's queue depth to show the finished jobs", () -> {
            Scrape now = scrape(ingest.uri("/actuator/prometheus").getPort());
            return value(now, "jobstream_queue_jobs", Map.of("queue", QUEUE, "state", "completed")) == 6
                    && value(now, "jobstream_queue_jobs", Map.of("queue", QUEUE, "state", "dead_lettered")) == 2
                    && value(now, "jobstream_queue_jobs", Map.of("queue", QUEUE, "state", "queued")) == 0;
        });
        // The publisher's producers are bound too.
        assertThat(ingestScrape.names()).anyMatch(name -> name.startsWith("kafka_producer_"));
    }

    private static String add(String jobId, String data, String more) {
        Http.Response added = Http.postJson(ingest.uri("/api/queues/" + QUEUE + "/jobs"),
                "{\"name\": \"meter\", \"data\": " + data + more.replace("\"opts\": {", "\"opts\": {\"jobId\": \"" + jobId + "\", ")
                        + (more.contains("opts") ? "" : ", \"opts\": {\"jobId\": \"" + jobId + "\"}") + "}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return jobId;
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new TreeMap<>(labels);
        more.put(key, value);
        return more;
    }

    private static double quantile(Scrape scrape, String name, Map<String, String> labels, String quantile) {
        return value(scrape, name + "_percentile_seconds", with(labels, "quantile", quantile));
    }

    /** The one sample of {@code name} whose labels include {@code labels}; NaN when there is none. */
    private static double value(Scrape scrape, String name, Map<String, String> labels) {
        List<Double> matches = scrape.samples().stream()
                .filter(sample -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .toList();
        assertThat(matches).as(name + labels).hasSizeLessThanOrEqualTo(1);
        return matches.isEmpty() ? Double.NaN : matches.getFirst();
    }

    private static Scrape scrape(int port) {
        return Scrape.parse(Http.text(java.net.URI.create("http://localhost:" + port + "/actuator/prometheus")));
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Prometheus' text format, enough of it for these assertions. */
    private record Scrape(String text, List<Sample> samples) {

        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Scrape parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                Matcher sample = LINE.matcher(line);
                if (line.startsWith("#") || !sample.find()) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(3) != null) {
                    Matcher label = LABEL.matcher(sample.group(3));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
            }
            return new Scrape(text, samples);
        }

        List<String> names() {
            return samples.stream().map(Sample::name).distinct().toList();
        }
    }
}
