package io.jobstream.agent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.serialization.Deserializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.ChatCompleted;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/** What the pipeline published, read back from jobs.events and agent.chat.responses as consumers see it. */
final class AgentJobEvents implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();
    private static final Deserializer<ChatCompleted> ANSWERS = AvroSerde.of(ChatCompleted.class).deserializer();

    private final TopicTail events;
    private final TopicTail responses;

    AgentJobEvents(String bootstrapServers) {
        this.events = new TopicTail(bootstrapServers, TopicCatalog.JOB_EVENTS);
        this.responses = new TopicTail(bootstrapServers, TopicCatalog.CHAT_RESPONSES);
    }

    List<JobEvent> of(String jobId) {
        return events.records().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> EVENTS.deserialize(TopicCatalog.JOB_EVENTS, r.value())).toList();
    }

    Optional<JobEvent> last(String jobId, JobState state) {
        return of(jobId).stream().filter(e -> e.getState() == state).reduce((a, b) -> b);
    }

    /** Waits for the job's event in {@code state} and returns it. */
    JobEvent await(String jobId, JobState state) {
        Await.until(WAIT, jobId + " " + state + " (events so far: " + states(jobId) + ")",
                () -> last(jobId, state).isPresent());
        return last(jobId, state).orElseThrow();
    }

    /** Waits until the job has finished (completed, failed, dead-lettered or cancelled) and returns that event. */
    JobEvent awaitFinished(String jobId) {
        Await.until(WAIT, jobId + " finished", () -> finished(jobId).isPresent());
        return finished(jobId).orElseThrow();
    }

    List<JobState> states(String jobId) {
        return of(jobId).stream().map(JobEvent::getState).toList();
    }

    List<ChatCompleted> answers(String sessionId) {
        return responses.records().stream().filter(r -> sessionId.equals(r.key()))
                .map(r -> ANSWERS.deserialize(TopicCatalog.CHAT_RESPONSES, r.value())).toList();
    }

    private Optional<JobEvent> finished(String jobId) {
        return of(jobId).stream().filter(e -> switch (e.getState()) {
            case COMPLETED, FAILED, DEAD_LETTERED, CANCELLED -> true;
            default -> false;
        }).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        events.close();
        responses.close();
    }
}
