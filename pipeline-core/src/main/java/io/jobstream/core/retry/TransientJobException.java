package io.jobstream.core.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure worth retrying (timeout, rate limit, 5xx). A provider's Retry-After, when known,
 * decides the delay instead of the back-off.
 */
public class TransientJobException extends RuntimeException {

    private final transient Duration retryAfter;

    public TransientJobException(String message) {
        this(message, null, null);
    }

    public TransientJobException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
