package io.jobstream.ingest.progress;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobStates;
import io.jobstream.ingest.queue.DeclaredQueues;
import io.jobstream.ingest.api.JobViews;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.QueryProperties;

/**
 * Real-time progress as Server-Sent Events: one job until it finishes ({@code job} first, with its
 * current status, then a {@code progress} event per transition), or every job of a queue.
 */
@RestController
public class ProgressController {

    private final JobEventStream stream;
    private final JobStatusQueries queries;
    private final JobViews views;
    private final DeclaredQueues queues;
    private final long timeoutMillis;

    public ProgressController(JobEventStream stream, JobStatusQueries queries, JobViews views, DeclaredQueues queues,
                              QueryProperties properties) {
        this.queues = queues;
        this.stream = stream;
        this.queries = queries;
        this.views = views;
        this.timeoutMillis = properties.eventStreamTimeout().toMillis();
    }

    @GetMapping(path = "/api/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter job(@PathVariable String id) {
        AtomicBoolean ended = new AtomicBoolean();
        EventRelay relay = EventRelay.listen(stream, timeoutMillis, event -> event.getJobId().equals(id), event -> {
            ended.compareAndSet(false, JobStates.isTerminal(event.getState()));
            return List.of(progress(event));
        }, ended::get);
        return relay.start(() -> {
            JobSnapshot job = queries.require(id);
            ended.set(JobStates.isTerminal(job.state()));
            return List.of(SseEmitter.event().name("job").data(views.of(job), MediaType.APPLICATION_JSON));
        });
    }

    @GetMapping(path = "/api/queues/{queue}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter queue(@PathVariable String queue) {
        String name = queues.require(queue).queue();
        return endless(event -> event.getQueue().equals(name), "events of queue " + name);
    }

    /** Every job's events, of every queue: what the dashboard listens to instead of polling. */
    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter all() {
        return endless(event -> true, "events of every queue");
    }

    private SseEmitter endless(Predicate<JobEvent> concerns, String comment) {
        return EventRelay.listen(stream, timeoutMillis, concerns, event -> List.of(progress(event)), () -> false)
                .start(() -> List.of(SseEmitter.event().comment(comment)));
    }

    private SseEmitter.SseEventBuilder progress(JobEvent event) {
        return SseEmitter.event().name("progress").id(event.getJobId() + ":" + event.getTimestamp().toEpochMilli())
                .data(JobProgress.of(event, views.parse(event.getReturnValue())), MediaType.APPLICATION_JSON);
    }
}
