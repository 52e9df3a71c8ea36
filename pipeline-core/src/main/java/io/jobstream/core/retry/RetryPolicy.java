package io.jobstream.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter: the delay before attempt {@code n+1} is
 * {@code min(maxDelay, baseDelay * factor^(n-1))}, spread by up to ±{@code jitter} of itself so
 * that jobs failing together do not retry together.
 *
 * @param attempts  attempts in all, the first included (BullMQ's {@code attempts})
 */
public record RetryPolicy(int attempts, Duration baseDelay, double factor, Duration maxDelay, double jitter) {

    /** The queue defaults of {@link io.jobstream.core.config.QueueProperties}, their one home. */
    public static final RetryPolicy DEFAULT = io.jobstream.core.config.QueueProperties.Queue.DEFAULTS.retry().policy();

    /** BullMQ's back-off types, as a job's {@code backoff-type} header names them. */
    public static final String FIXED = "fixed";
    public static final String EXPONENTIAL = "exponential";

    public RetryPolicy {
        if (baseDelay == null || baseDelay.isNegative() || maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative, were " + baseDelay + " and " + maxDelay);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (factor < 1.0) {
            throw new IllegalArgumentException("factor must be at least 1, was " + factor);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }

    /**
     * This policy with a job's own back-off (BullMQ's {@code backoff: {type, delay}}): {@code fixed}
     * waits {@code delay} every time, {@code exponential} waits {@code delay * 2^(n-1)} after failed
     * attempt {@code n}. The cap and the jitter stay the queue's.
     */
    public RetryPolicy withBackoff(String type, Duration delay) {
        double backoffFactor = switch (type) {
            case FIXED -> 1.0;
            case EXPONENTIAL -> 2.0;
            case null, default -> throw new IllegalArgumentException("unknown back-off type " + type);
        };
        return new RetryPolicy(attempts, delay, backoffFactor, maxDelay, jitter);
    }

    /** The nominal delay after failed attempt {@code failedAttempt} (1-based), before jitter. */
    public Duration nominalDelay(int failedAttempt) {
        double millis = baseDelay.toMillis() * Math.pow(factor, Math.max(0, failedAttempt - 1));
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }

    /** The delay to wait after failed attempt {@code failedAttempt}, jitter applied. */
    public Duration delayAfter(int failedAttempt) {
        long nominal = nominalDelay(failedAttempt).toMillis();
        long spread = (long) (nominal * jitter);
        long jittered = spread == 0 ? nominal : nominal + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
        return Duration.ofMillis(Math.max(0, jittered));
    }
}
