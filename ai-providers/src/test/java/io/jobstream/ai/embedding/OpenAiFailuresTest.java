package io.jobstream.ai.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;

/** The status and Retry-After rules that the SDK path and our chat completions client share. */
class OpenAiFailuresTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void rateLimitsTimeoutsConflictsAndServerErrorsAreTransientOtherStatusesPermanent() {
        for (int status : new int[] {429, 408, 409, 500, 503}) {
            assertThat(OpenAiFailures.answered("endpoint", status, headers(Map.of()), "detail", null))
                    .isInstanceOf(TransientJobException.class);
        }
        for (int status : new int[] {400, 401, 404, 302}) {
            assertThat(OpenAiFailures.answered("endpoint", status, headers(Map.of()), "detail", null))
                    .isInstanceOf(PermanentJobException.class)
                    .hasMessage("endpoint answered " + status + ": detail");
        }
    }

    @Test
    void retryAfterMillisecondsComeFirstThenSecondsThenAnHttpDate() {
        assertThat(OpenAiFailures.retryAfter(headers(Map.of("retry-after-ms", "250", "retry-after", "9")), NOW))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(OpenAiFailures.retryAfter(headers(Map.of("retry-after", "1.5")), NOW)).isEqualTo(Duration.ofMillis(1500));
        assertThat(OpenAiFailures.retryAfter(headers(Map.of("retry-after", "Wed, 01 Jan 2025 00:00:30 GMT")), NOW))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(OpenAiFailures.retryAfter(headers(Map.of("retry-after", "Tue, 31 Dec 2024 23:59:00 GMT")), NOW))
                .isEqualTo(Duration.ZERO);
        assertThat(OpenAiFailures.retryAfter(headers(Map.of("retry-after", "soon")), NOW)).isNull();
        assertThat(OpenAiFailures.retryAfter(headers(Map.of()), NOW)).isNull();
    }

    private static Function<String, List<String>> headers(Map<String, String> values) {
        return name -> values.containsKey(name) ? List.of(values.get(name)) : List.of();
    }
}
