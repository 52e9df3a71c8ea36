package io.jobstream.ingest.progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.jobstream.events.JobEvent;
import io.jobstream.ingest.queue.DeclaredQueues;
import io.jobstream.ingest.api.JobNotFoundException;
import io.jobstream.ingest.api.JobViews;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.QueryProperties;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.ingest.status.JobStatusFold;

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
        Relay relay = new Relay(new SseEmitter(timeoutMillis), true);
        // Listen before reading the status, so no transition falls between the two.
        relay.attach(stream.listen(event -> event.getJobId().equals(id), relay::onEvent));
        JobSnapshot job;
        try {
            job = queries.require(id);
        } catch (RuntimeException e) {
            relay.detach();
            throw e;
        }
        relay.start(SseEmitter.event().name("job").data(views.of(job), MediaType.APPLICATION_JSON),
                JobStatusFold.isTerminal(job.state()));
        return relay.emitter;
    }

    @GetMapping(path = "/api/queues/{queue}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter queue(@PathVariable String queue) {
        String name = queues.require(queue).queue();
        Relay relay = new Relay(new SseEmitter(timeoutMillis), false);
        relay.attach(stream.listen(event -> event.getQueue().equals(name), relay::onEvent));
        // A comment first: it sends the response headers, so clients know they are listening.
        relay.start(SseEmitter.event().comment("events of queue " + name), false);
        return relay.emitter;
    }

    /** Every job's events, of every queue: what the dashboard listens to instead of polling. */
    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter all() {
        Relay relay = new Relay(new SseEmitter(timeoutMillis), false);
        relay.attach(stream.listen(event -> true, relay::onEvent));
        relay.start(SseEmitter.event().comment("events of every queue"), false);
        return relay.emitter;
    }

    /** Holds events back until the current status is sent, then relays them in order. */
    private final class Relay {
        private final SseEmitter emitter;
        /** A job's stream ends with the job; a queue's goes on until the client leaves or it times out. */
        private final boolean endsWithJob;
        private final List<JobEvent> early = new ArrayList<>();
        private AutoCloseable subscription;
        private boolean started;
        private boolean done;

        Relay(SseEmitter emitter, boolean endsWithJob) {
            this.emitter = emitter;
            this.endsWithJob = endsWithJob;
            emitter.onCompletion(this::detach);
            emitter.onTimeout(this::detach);
            emitter.onError(error -> detach());
        }

        void attach(AutoCloseable subscription) {
            this.subscription = subscription;
        }

        /** Sends {@code first}, then whatever arrived meanwhile; a finished job's stream ends there. */
        synchronized void start(SseEmitter.SseEventBuilder first, boolean finished) {
            send(first);
            started = true;
            if (finished) {
                finish();
                return;
            }
            List<JobEvent> held = List.copyOf(early);
            early.clear();
            held.forEach(this::relay);
        }

        synchronized void onEvent(JobEvent event) {
            if (!started) {
                early.add(event);
            } else {
                relay(event);
            }
        }

        private void relay(JobEvent event) {
            if (done) {
                return;
            }
            send(SseEmitter.event().name("progress").id(event.getJobId() + ":" + event.getTimestamp().toEpochMilli())
                    .data(JobProgress.of(event, views.parse(event.getReturnValue())), MediaType.APPLICATION_JSON));
            if (endsWithJob && JobStatusFold.isTerminal(event.getState())) {
                finish();
            }
        }

        private void send(SseEmitter.SseEventBuilder event) {
            try {
                emitter.send(event);
            } catch (IOException gone) {
                detach();
                throw new UncheckedIOException(gone);
            }
        }

        private void finish() {
            done = true;
            detach();
            emitter.complete();
        }

        void detach() {
            if (subscription != null) {
                try {
                    subscription.close();
                } catch (Exception ignored) {
                    // Closing a subscription only removes it from a set.
                }
            }
        }
    }
}
