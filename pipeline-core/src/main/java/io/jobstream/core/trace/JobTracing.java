package io.jobstream.core.trace;

import org.apache.kafka.common.header.Headers;

import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobMetadata;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * One OpenTelemetry span per job attempt, a child of the span in the record's {@code traceparent}
 * (else of the job's {@code trace-id}). Off (a no-op tracer) until a service installs an SDK
 * ({@link OtlpTracingAutoConfiguration}, when {@code jobstream.tracing.otlp.endpoint} is set).
 *
 * <p>A process-wide holder, as {@code JobMetrics.GLOBAL} is: the workers are built inside Kafka
 * Streams topologies, not by Spring. OpenTelemetry's own {@code GlobalOpenTelemetry} can be set only
 * once per JVM, which tests that start several services in one JVM cannot live with.
 */
public final class JobTracing {

    static final String INSTRUMENTATION = "io.jobstream.jobs";
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> QUEUE = AttributeKey.stringKey("jobstream.queue");
    private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("jobstream.job.id");
    private static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("jobstream.job.name");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("jobstream.job.attempt");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jobstream.job.outcome");
    private static final Tracer OFF = OpenTelemetry.noop().getTracer(INSTRUMENTATION);

    private static volatile Tracer tracer = OFF;

    private JobTracing() {
    }

    /** Records the attempts of this process' workers with {@code openTelemetry} until the scope closes. */
    public static TraceParent.Scope install(OpenTelemetry openTelemetry) {
        tracer = openTelemetry.getTracer(INSTRUMENTATION);
        return () -> tracer = OFF;
    }

    /** Starts the span of one attempt of {@code job}, read from {@code queue}'s record with {@code headers}. */
    public static Attempt start(String queue, JobMetadata job, Headers headers) {
        Tracer current = tracer;
        if (current == OFF) {
            return Attempt.NONE;
        }
        var builder = current.spanBuilder("process " + queue)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, queue + ".requests")
                .setAttribute(QUEUE, queue)
                .setAttribute(JOB_ID, job.jobId())
                .setAttribute(JOB_NAME, job.jobType())
                .setAttribute(ATTEMPT, (long) job.attempt());
        JobHeaders.text(headers, TraceParent.HEADER).flatMap(TraceParent::parse)
                .filter(parent -> job.traceId() == null || parent.traceId().equals(job.traceId()))
                .or(() -> TraceParent.ofTrace(job.traceId()))
                .ifPresentOrElse(parent -> builder.setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
                                parent.traceId(), parent.spanId(), TraceFlags.fromHex(parent.flags(), 0), TraceState.getDefault())))),
                        builder::setNoParent);
        return new Attempt(builder.startSpan());
    }

    /** An attempt's span: ended once, with the attempt's outcome. */
    public record Attempt(Span span) {

        static final Attempt NONE = new Attempt(Span.getInvalid());

        /** @param outcome how the attempt ended (succeeded, failed, cancelled, deferred) */
        public void end(String outcome, Throwable failure) {
            span.setAttribute(OUTCOME, outcome);
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            }
            span.end();
        }
    }
}
