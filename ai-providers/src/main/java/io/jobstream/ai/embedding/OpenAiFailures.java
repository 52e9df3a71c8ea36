package io.jobstream.ai.embedding;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;

/**
 * Maps OpenAI failures to pipeline-core's transient/permanent ones: openai-java's exceptions, and
 * the answers of our own chat completions client, by the same rules.
 */
public final class OpenAiFailures {

    private OpenAiFailures() {
    }

    /** An openai-java exception: by its status when the server answered, else transient. */
    public static RuntimeException classify(OpenAIException error, String endpoint) {
        if (error instanceof OpenAIServiceException service) {
            return answered(endpoint, service.statusCode(), service.headers()::values, error.getMessage(), error);
        }
        return failed(endpoint, error.getMessage(), error);
    }

    /**
     * An error status: 429, 408, 409 and 5xx are transient (with Retry-After when the server sent one);
     * other statuses are permanent.
     *
     * @param headers the answer's header values by name, case-insensitive
     * @param detail  what the server said
     */
    public static RuntimeException answered(String endpoint, int status, Function<String, List<String>> headers,
                                            String detail, Throwable cause) {
        String message = endpoint + " answered " + status + ": " + detail;
        // 408 and 409 are OpenAI's "request timeout" and "lock timeout": retrying helps, as for 429 and 5xx.
        if (status == 429 || status == 408 || status == 409 || status >= 500) {
            return new TransientJobException(message, retryAfter(headers, Instant.now()), cause);
        }
        return new PermanentJobException(message, cause);
    }

    /** No usable answer (I/O error, timeout, unreadable response): transient. */
    public static TransientJobException failed(String endpoint, String detail, Throwable cause) {
        return new TransientJobException(endpoint + " failed: " + detail, null, cause);
    }

    /** OpenAI's {@code retry-after-ms}, else {@code Retry-After} in seconds or as an HTTP date; null when absent. */
    static Duration retryAfter(Function<String, List<String>> headers, Instant now) {
        Double millis = number(headers.apply("retry-after-ms"));
        if (millis != null) {
            return nonNegative(Duration.ofMillis(Math.round(millis)));
        }
        List<String> values = headers.apply("retry-after");
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
