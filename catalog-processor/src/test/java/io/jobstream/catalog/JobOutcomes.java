package io.jobstream.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.serialization.Deserializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The committed job events of a test's broker, read from jobs.events: how a test learns what a job came to. */
public final class JobOutcomes implements AutoCloseable {

    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TopicTail tail;

    public JobOutcomes(String bootstrapServers) {
        this.tail = new TopicTail(bootstrapServers, TopicCatalog.JOB_EVENTS);
    }

    public List<JobEvent> events(String jobId) {
        return tail.records().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> EVENTS.deserialize(TopicCatalog.JOB_EVENTS, r.value())).toList();
    }

    /** The return values of the job's runs that completed, oldest first. */
    List<JsonNode> completed(String jobId) {
        return events(jobId).stream().filter(e -> e.getState() == JobState.COMPLETED)
                .map(e -> JSON.readTree(e.getReturnValue())).toList();
    }

    /** Waits for the job's {@code runs}-th completed run and returns its return value. */
    public JsonNode awaitCompleted(String jobId, int runs, Duration timeout) {
        Await.until(timeout, jobId + " completed " + runs + " time(s)",
                () -> completed(jobId).size() >= runs || deadLettered(jobId).isPresent());
        deadLettered(jobId).ifPresent(error -> {
            throw new AssertionError(jobId + " was dead-lettered: " + error);
        });
        return completed(jobId).get(runs - 1);
    }

    Optional<String> deadLettered(String jobId) {
        return events(jobId).stream().filter(e -> e.getState() == JobState.DEAD_LETTERED)
                .map(e -> e.getErrorClass() + ": " + e.getErrorMessage()).reduce((first, second) -> second);
    }

    @Override
    public void close() throws InterruptedException {
        tail.close();
    }
}
