package io.jobstream.ingest.progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

import io.jobstream.events.JobEvent;

/**
 * One Server-Sent Events stream of job events, shared by every SSE route: it listens first, then
 * sends the status as read on connect, then every event that arrived meanwhile and after, in order,
 * so no transition falls between the status read and the live events. It ends when {@code finished}
 * says so (a job's stream ends with the job; a queue's goes on until the client leaves or it times out).
 */
public final class EventRelay {

    private final SseEmitter emitter;
    private final Function<JobEvent, List<SseEventBuilder>> translate;
    private final BooleanSupplier finished;
    private final List<JobEvent> early = new ArrayList<>();
    private AutoCloseable subscription;
    private boolean started;
    private boolean done;

    private EventRelay(SseEmitter emitter, Function<JobEvent, List<SseEventBuilder>> translate, BooleanSupplier finished) {
        this.emitter = emitter;
        this.translate = translate;
        this.finished = finished;
        emitter.onCompletion(this::detach);
        emitter.onTimeout(this::detach);
        emitter.onError(error -> detach());
    }

    /**
     * Starts listening to the events {@code concerns} accepts; nothing is sent before {@link #start}.
     *
     * @param translate what to send for one event (it may send nothing)
     * @param finished  whether the stream has sent its last event, asked after the status and after each event
     */
    public static EventRelay listen(JobEventStream stream, long timeoutMillis, Predicate<JobEvent> concerns,
                                    Function<JobEvent, List<SseEventBuilder>> translate, BooleanSupplier finished) {
        EventRelay relay = new EventRelay(new SseEmitter(timeoutMillis), translate, finished);
        relay.subscription = stream.listen(concerns, relay::onEvent);
        return relay;
    }

    /**
     * Sends what {@code current} reads (the status now; a comment for a stream without one sends the
     * response headers, so clients know they are listening), then the events held back meanwhile. A
     * failing read (an unknown job) stops listening and is thrown.
     */
    public SseEmitter start(Supplier<List<SseEventBuilder>> current) {
        List<SseEventBuilder> first;
        try {
            first = current.get();
        } catch (RuntimeException e) {
            detach();
            throw e;
        }
        synchronized (this) {
            first.forEach(this::send);
            started = true;
            if (finished.getAsBoolean()) {
                finish();
            } else {
                List<JobEvent> held = List.copyOf(early);
                early.clear();
                held.forEach(this::relay);
            }
        }
        return emitter;
    }

    private synchronized void onEvent(JobEvent event) {
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
        translate.apply(event).forEach(this::send);
        if (finished.getAsBoolean()) {
            finish();
        }
    }

    private void send(SseEventBuilder event) {
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

    private void detach() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // Closing a subscription only removes it from a set.
            }
        }
    }
}
