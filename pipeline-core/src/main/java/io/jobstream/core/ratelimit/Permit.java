package io.jobstream.core.ratelimit;

import java.time.Duration;

/** The answer of a bucket: tokens taken, or how long until they would be there. */
public record Permit(boolean granted, Duration retryAfter) {

    static final Permit GRANTED = new Permit(true, Duration.ZERO);

    static Permit denied(long nanosToWait) {
        return new Permit(false, Duration.ofNanos(Math.max(nanosToWait, 1_000_000)));
    }
}
