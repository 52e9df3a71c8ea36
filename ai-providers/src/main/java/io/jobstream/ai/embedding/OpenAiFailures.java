package io.jobstream.ai.embedding;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;

/** Maps openai-java's exceptions to pipeline-core's transient/permanent failures. */
public final class OpenAiFailures {

    private OpenAiFailures() {
    }

    /**
     * 429, 408, 409 and 5xx are transient (with Retry-After when the server sent one); other 4xx are
     * permanent. Everything without a status (I/O errors, timeouts, unreadable responses) is transient.
     */
    public static RuntimeException classify(OpenAIException error, String endpoint) {
        if (!(error instanceof OpenAIServiceException service)) {
            return new TransientJobException(endpoint + " failed: " + error.getMessage(), null, error);
        }
        int status = service.statusCode();
        String message = endpoint + " answered " + status + ": " + error.getMessage();
        // 408 and 409 are OpenAI's "request timeout" and "lock timeout": retrying helps, as for 429 and 5xx.
        if (status == 429 || status == 408 || status == 409 || status >= 500) {
            return new TransientJobException(message, retryAfter(service.headers(), Instant.now()), error);
        }
        return new PermanentJobException(message, error);
    }

    /** OpenAI's {@code retry-after-ms}, else {@code Retry-After} in seconds or as an HTTP date; null when absent. */
    static Duration retryAfter(Headers headers, Instant now) {
        Double millis = number(headers.values("retry-after-ms"));
        if (millis != null) {
            return nonNegative(Duration.ofMillis(Math.round(millis)));
        }
        List<String> values = headers.values("retry-after");
        if (values.isEmpty()) {
            return null;
        }
        Double seconds = number(values);
        if (seconds != null) {
            return nonNegative(Duration.ofMillis(Math.round(seconds * 1000)));
        }
        try {
            Instant at = ZonedDateTime.parse(values.getFirst().trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return nonNegative(Duration.between(now, at));
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static Double number(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(values.getFirst().trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
