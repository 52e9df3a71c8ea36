package io.jobstream.core.retry;

import java.time.Duration;

/**
 * The job could not start its work yet (no rate-limit token): run the same attempt again after
 * {@code retryAfter}. Unlike a failure, it does not use up an attempt.
 */
public class JobDeferredException extends RuntimeException {

    private final transient Duration retryAfter;

    public JobDeferredException(String reason, Duration retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
