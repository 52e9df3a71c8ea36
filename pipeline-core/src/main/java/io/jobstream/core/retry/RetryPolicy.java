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

    public RetryPolicy {
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
