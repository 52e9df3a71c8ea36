package io.jobstream.core.trace;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C trace context ({@code traceparent: 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}).
 * A job keeps its trace id from the request that added it through every queue, retry and step (the
 * {@code trace-id} job header and the status' {@code traceId}); each record also carries a
 * {@code traceparent} header, so tracing tools that read Kafka headers follow it.
 */
public record TraceParent(String traceId, String spanId, String flags) {

    /** The Kafka (and HTTP) header name. */
    public static final String HEADER = "traceparent";

    private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);
    private static final String SAMPLED = "01";
    /** The trace of the request this thread serves (set by the service's web filter). */
    private static final ThreadLocal<TraceParent> CURRENT = new ThreadLocal<>();

    /** A valid header, or empty: an unknown version, a bad length or the all-zero ids W3C forbids. */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var match = FORMAT.matcher(header.trim());
        if (!match.matches() || match.group(1).equals(INVALID_TRACE) || match.group(2).equals(INVALID_SPAN)) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(match.group(1), match.group(2), match.group(3)));
    }

    /** A new trace, for work that arrives without one. */
    public static TraceParent random() {
        return new TraceParent(hex(16), hex(8), SAMPLED);
    }

    /** A span of {@code traceId} (a job's), when it is a W3C trace id. */
    public static Optional<TraceParent> ofTrace(String traceId) {
        return traceId != null && TRACE_ID.matcher(traceId).matches() && !traceId.equals(INVALID_TRACE)
                ? Optional.of(new TraceParent(traceId, hex(8), SAMPLED))
                : Optional.empty();
    }

    public static Optional<TraceParent> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Makes {@code trace} this thread's until the scope closes: jobs submitted meanwhile join it. */
    public static Scope enter(TraceParent trace) {
        TraceParent previous = CURRENT.get();
        CURRENT.set(trace);
        return () -> CURRENT.set(previous);
    }

    /** The same trace, one hop further (a new parent span id). */
    public TraceParent child() {
        return new TraceParent(traceId, hex(8), flags);
    }

    @Override
    public String toString() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(random);
        } while (isZero(random));
        return HexFormat.of().formatHex(random);
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Restores the thread's previous trace. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
