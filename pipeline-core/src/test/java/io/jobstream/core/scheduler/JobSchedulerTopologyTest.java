package io.jobstream.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.events.JobTemplate;
import io.jobstream.events.Schedule;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

class JobSchedulerTopologyTest {

    private static final QueueTopics REPORTS = TopicCatalog.queue("reports");
    /** A quarter of a second past a whole second: aligned ticks are the whole seconds after it. */
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.250Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Schedule> schedules;
    private TestOutputTopic<String, JobRequested> requests;
    private TestOutputTopic<String, JobRequested> retries;
    private TestOutputTopic<String, JobEvent> events;
    private Instant now;

    @BeforeEach
    void start() {
        QueueProperties queues = new QueueProperties(Map.of(REPORTS.queue(), QueueProperties.Queue.DEFAULTS));
        Topology topology = new JobSchedulerTopology(queues).addTo(new Topology());
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "job-scheduler-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, config, T0);
        now = T0;
        schedules = driver.createInputTopic(TopicCatalog.JOB_SCHEDULES, new StringSerializer(),
                AvroSerde.of(Schedule.class).serializer());
        requests = driver.createOutputTopic(REPORTS.requests(), new StringDeserializer(),
                AvroSerde.of(JobRequested.class).deserializer());
        retries = driver.createOutputTopic(REPORTS.retry(), new StringDeserializer(),
                AvroSerde.of(JobRequested.class).deserializer());
        events = driver.createOutputTopic(TopicCatalog.JOB_EVENTS, new StringDeserializer(),
                AvroSerde.of(JobEvent.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void everyFiresOnTicksAlignedToMultiplesOfIt() {
        upsert(every("nightly", 1000).build());

        advance(Duration.ofMillis(3100));

        List<TestRecord<String, JobRequested>> jobs = requests.readRecordsToList();
        assertThat(jobs).extracting(TestRecord::key).containsExactly(
                "nightly:" + millis("2026-05-01T10:00:01Z"), "nightly:" + millis("2026-05-01T10:00:02Z"),
                "nightly:" + millis("2026-05-01T10:00:03Z"));
        TestRecord<String, JobRequested> first = jobs.getFirst();
        assertThat(first.value().getName()).isEqualTo("build-report");
        assertThat(first.value().getData()).isEqualTo("{\"kind\":\"daily\"}");
        assertThat(header(first.headers(), JobHeaders.JOB_ID)).isEqualTo(first.key());
        assertThat(header(first.headers(), JobHeaders.JOB_TYPE)).isEqualTo("build-report");
        assertThat(header(first.headers(), JobHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(header(first.headers(), JobHeaders.MAX_ATTEMPTS))
                .isEqualTo(Integer.toString(QueueProperties.Queue.DEFAULTS.retry().attempts()));
        assertThat(header(first.headers(), JobHeaders.ENQUEUED_AT)).isEqualTo(Long.toString(millis("2026-05-01T10:00:01Z")));
        // Fired by the punctuator within one tick of its time.
        assertThat(first.timestamp()).isBetween(millis("2026-05-01T10:00:01Z"),
                millis("2026-05-01T10:00:01Z") + JobSchedulerTopology.TICK.toMillis());
    }

    @Test
    void eachJobHasItsQueuedEventOnJobsEvents() {
        upsert(every("nightly", 1000).build());

        advance(Duration.ofMillis(1000));

        List<TestRecord<String, JobEvent>> queued = events.readRecordsToList();
        assertThat(queued).hasSize(1);
        JobEvent event = queued.getFirst().value();
        assertThat(queued.getFirst().key()).isEqualTo("nightly:" + millis("2026-05-01T10:00:01Z"));
        assertThat(event.getJobId()).isEqualTo(queued.getFirst().key());
        assertThat(event.getState()).isEqualTo(JobState.QUEUED);
        assertThat(event.getQueue()).isEqualTo("reports");
        assertThat(event.getJobType()).isEqualTo("build-report");
        assertThat(event.getData()).isEqualTo("{\"kind\":\"daily\"}");
        assertThat(event.getEnqueuedAt()).isEqualTo(Instant.parse("2026-05-01T10:00:01Z"));
    }

    @Test
    void cronFiresInItsTimeZone() {
        // 06:00 in New York is 10:00 UTC in May (EDT).
        upsert(schedule("morning").setPattern("1 6 * * *").setTimezone("America/New_York").build());

        advance(Duration.ofMinutes(1));

        assertThat(requests.readKeyValuesToList()).extracting(job -> job.key)
                .containsExactly("morning:" + millis("2026-05-01T10:01:00Z"));
        advance(Duration.ofMinutes(1));
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void ticksMissedDuringALongGapFireOnceThenTheScheduleGoesOnFromNow() {
        upsert(every("pulse", 1000).build());
        advance(Duration.ofMillis(1000));
        assertThat(requests.readKeyValuesToList()).hasSize(1);

        // Nothing ran for an hour: 3,600 ticks missed.
        now = now.plus(Duration.ofHours(1));
        driver.advanceWallClockTime(Duration.ofHours(1));

        assertThat(requests.readKeyValuesToList()).extracting(job -> job.key)
                .containsExactly("pulse:" + millis("2026-05-01T10:00:02Z"));
        advance(Duration.ofMillis(1000));
        assertThat(requests.readKeyValuesToList()).extracting(job -> job.key)
                .containsExactly("pulse:" + millis("2026-05-01T11:00:02Z"));
        assertThat(store().get("pulse").count()).isEqualTo(3);
    }

    @Test
    void anUpsertTakesEffectFromItsNextTick() {
        upsert(every("pulse", 1000).build());
        advance(Duration.ofMillis(1000));
        assertThat(requests.readKeyValuesToList()).hasSize(1);

        upsert(every("pulse", 5000).build());

        assertThat(store().get("pulse").nextRun()).isEqualTo(Instant.parse("2026-05-01T10:00:05Z"));
        advance(Duration.ofMillis(4000));
        assertThat(requests.readKeyValuesToList()).extracting(job -> job.key)
                .containsExactly("pulse:" + millis("2026-05-01T10:00:05Z"));
        assertThat(store().get("pulse").count()).as("the count goes on over definitions").isEqualTo(2);
    }

    @Test
    void aTombstoneDeletesTheScheduler() {
        upsert(every("pulse", 1000).build());
        advance(Duration.ofMillis(1000));
        requests.readKeyValuesToList();

        schedules.pipeInput("pulse", null, now);
        advance(Duration.ofSeconds(5));

        assertThat(requests.isEmpty()).isTrue();
        assertThat(store().get("pulse")).isNull();
    }

    @Test
    void stopsAfterItsLimit() {
        upsert(every("twice", 1000).setLimit(2).build());

        advance(Duration.ofSeconds(5));

        assertThat(requests.readKeyValuesToList()).hasSize(2);
        JobScheduler done = store().get("twice");
        assertThat(done.count()).isEqualTo(2);
        assertThat(done.nextRun()).isNull();
        assertThat(done.lastRun()).isEqualTo(Instant.parse("2026-05-01T10:00:02Z"));
    }

    @Test
    void firesFromItsStartDateUntilItsEndDate() {
        upsert(every("window", 1000)
                .setStartDate(Instant.parse("2026-05-01T10:00:02.500Z"))
                .setEndDate(Instant.parse("2026-05-01T10:00:04.500Z"))
                .build());

        advance(Duration.ofSeconds(6));

        // Aligned to the start date, not to the epoch.
        assertThat(requests.readKeyValuesToList()).extracting(job -> job.key).containsExactly(
                "window:" + millis("2026-05-01T10:00:02.500Z"), "window:" + millis("2026-05-01T10:00:03.500Z"),
                "window:" + millis("2026-05-01T10:00:04.500Z"));
    }

    @Test
    void aDelayedTemplateGoesToTheRetryTopicDueAfterItsDelay() {
        upsert(every("later", 1000).setTemplate(template(JobOptions.newBuilder()
                .setDelayMillis(30_000L).setAttempts(5).setPriority(2)
                .setBackoffType("fixed").setBackoffDelayMillis(2_000L).setTimeoutMillis(10_000L).build())).build());

        advance(Duration.ofMillis(1000));

        assertThat(requests.isEmpty()).isTrue();
        TestRecord<String, JobRequested> parked = retries.readRecord();
        long tick = millis("2026-05-01T10:00:01Z");
        assertThat(parked.key()).isEqualTo("later:" + tick);
        assertThat(header(parked.headers(), JobHeaders.DUE_AT)).isEqualTo(Long.toString(tick + 30_000));
        assertThat(header(parked.headers(), JobHeaders.MAX_ATTEMPTS)).isEqualTo("5");
        assertThat(header(parked.headers(), JobHeaders.PRIORITY)).isEqualTo("2");
        assertThat(header(parked.headers(), JobHeaders.BACKOFF_TYPE)).isEqualTo("fixed");
        assertThat(header(parked.headers(), JobHeaders.BACKOFF_DELAY)).isEqualTo("2000");
        assertThat(header(parked.headers(), JobHeaders.TIMEOUT)).isEqualTo("10000");
        JobEvent delayed = events.readValue();
        assertThat(delayed.getState()).isEqualTo(JobState.DELAYED);
        assertThat(delayed.getDueAt()).isEqualTo(Instant.ofEpochMilli(tick + 30_000));
    }

    @Test
    void aSchedulerForAnUndeclaredQueueIsIgnored() {
        upsert(every("stray", 1000).setQueue("nowhere").build());

        advance(Duration.ofSeconds(2));

        assertThat(store().get("stray")).isNull();
        assertThat(events.isEmpty()).isTrue();
    }

    /** Seed 004's scheduleDailyCuratedCollections: one daily scheduler per surface, each job once a day. */
    @Test
    void dailySchedulersOfThreeSurfacesAddOneJobEachPerDay() {
        List<String> surfaces = List.of("home", "discovery", "occasion");
        surfaces.forEach(surface -> upsert(schedule("curated-collections-" + surface).setPattern("0 5 * * *")
                .setTemplate(new JobTemplate("curated-collections", "{\"surface\":\"" + surface + "\"}",
                        JobOptions.newBuilder().setPriority(4).build()))
                .build()));

        // Three days pass, a minute at a time (the punctuator runs once per step).
        for (int minute = 0; minute < 3 * 24 * 60; minute++) {
            now = now.plus(Duration.ofMinutes(1));
            driver.advanceWallClockTime(Duration.ofMinutes(1));
        }

        List<String> ids = requests.readKeyValuesToList().stream().map(job -> job.key).toList();
        List<String> expected = new ArrayList<>();
        for (String day : List.of("2026-05-02", "2026-05-03", "2026-05-04")) {
            surfaces.forEach(surface -> expected.add("curated-collections-" + surface + ":" + millis(day + "T05:00:00Z")));
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Schedule.Builder schedule(String id) {
        return Schedule.newBuilder()
                .setSchedulerId(id)
                .setQueue(REPORTS.queue())
                .setTemplate(template(JobOptions.newBuilder().build()))
                .setUpdatedAt(T0);
    }

    private static Schedule.Builder every(String id, long millis) {
        return schedule(id).setEvery(millis);
    }

    private static JobTemplate template(JobOptions options) {
        return new JobTemplate("build-report", "{\"kind\":\"daily\"}", options);
    }

    private void upsert(Schedule schedule) {
        schedules.pipeInput(schedule.getSchedulerId(), schedule, now);
    }

    /** Moves the clock in punctuator-sized steps, as a running instance sees time pass. */
    private void advance(Duration duration) {
        Instant until = now.plus(duration);
        while (now.isBefore(until)) {
            now = now.plus(JobSchedulerTopology.TICK);
            driver.advanceWallClockTime(JobSchedulerTopology.TICK);
        }
    }

    private KeyValueStore<String, JobScheduler> store() {
        return driver.getKeyValueStore(JobSchedulerTopology.STORE);
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static String header(Headers headers, String name) {
        return JobHeaders.text(headers, name).orElse(null);
    }
}
