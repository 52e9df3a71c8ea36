package io.jobstream.core.retry;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Decides whether a failed attempt is worth retrying. Steps that call providers add their own
 * rules (status codes, provider exceptions) in front of the default with {@link #orElse}.
 */
@FunctionalInterface
public interface FailureClassifier {

    /** Timeouts, I/O and explicit transient failures retry; invalid input and poison data do not. */
    FailureClassifier DEFAULT = error -> {
        Throwable cause = unwrap(error);
        return switch (cause) {
            case TransientJobException t -> Failure.transientError(t, t.retryAfter().orElse(null));
            case PermanentJobException p -> Failure.permanent(p);
            case IllegalArgumentException invalid -> Failure.permanent(invalid);
            case SerializationException poison -> Failure.permanent(poison);
            case TimeoutException timeout -> Failure.transientError(timeout, null);
            case IOException io -> Failure.transientError(io, null);
            // Unknown failures retry: BullMQ retries every failure, and attempts are bounded.
            default -> Failure.transientError(cause, null);
        };
    };

    /** Null when this classifier has no opinion, so the next one decides. */
    Failure classify(Throwable error);

    default FailureClassifier orElse(FailureClassifier next) {
        return error -> {
            Failure mine = classify(error);
            return mine != null ? mine : next.classify(error);
        };
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
