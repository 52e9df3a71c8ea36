package io.jobstream.core.retry;

/** A failure that no retry can fix (invalid input, a 4xx from a provider): dead-letter at once. */
public class PermanentJobException extends RuntimeException {

    public PermanentJobException(String message) {
        super(message);
    }

    public PermanentJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
