package io.jobstream.core.retry;

import java.time.Duration;
import java.util.Optional;

/** A classified failure: retry it or not, and whether the provider said when. */
public record Failure(Throwable error, boolean transientError, Optional<Duration> retryAfter) {

    public static Failure transientError(Throwable error, Duration retryAfter) {
        return new Failure(error, true, Optional.ofNullable(retryAfter));
    }

    public static Failure permanent(Throwable error) {
        return new Failure(error, false, Optional.empty());
    }
}
