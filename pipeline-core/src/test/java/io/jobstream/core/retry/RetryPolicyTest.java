package io.jobstream.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final RetryPolicy QUEUE = new RetryPolicy(10, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(10), 0.1);

    @Test
    void backoffGrowsByItsFactorUpToTheMaximum() {
        assertThat(QUEUE.nominalDelay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(QUEUE.nominalDelay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(QUEUE.nominalDelay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(QUEUE.nominalDelay(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(QUEUE.nominalDelay(40)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterSpreadsTheDelayWithinItsBounds() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long millis = QUEUE.delayAfter(2).toMillis();
            assertThat(millis).isBetween(3_600L, 4_400L);
            seen.add(millis);
        }
        assertThat(seen).as("jittered delays").hasSizeGreaterThan(1);
    }

    @Test
    void withoutJitterTheDelayIsTheNominalOne() {
        RetryPolicy exact = new RetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 0);

        assertThat(exact.delayAfter(2)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void fixedBackoffWaitsTheSameDelayEachTime() {
        RetryPolicy fixed = QUEUE.withBackoff(RetryPolicy.FIXED, Duration.ofMillis(500));

        assertThat(fixed.nominalDelay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(fixed.nominalDelay(5)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void exponentialBackoffDoublesAsBullMqWithinTheQueuesCap() {
        RetryPolicy exponential = QUEUE.withBackoff(RetryPolicy.EXPONENTIAL, Duration.ofSeconds(1));

        assertThat(exponential.nominalDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(exponential.nominalDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(exponential.nominalDelay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(exponential.nominalDelay(5)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aJobsBackoffKeepsTheQueuesAttemptsCapAndJitter() {
        RetryPolicy job = QUEUE.withBackoff(RetryPolicy.FIXED, Duration.ofSeconds(1));

        assertThat(job.attempts()).isEqualTo(QUEUE.attempts());
        assertThat(job.maxDelay()).isEqualTo(QUEUE.maxDelay());
        assertThat(job.jitter()).isEqualTo(QUEUE.jitter());
    }

    @Test
    void unknownBackoffTypesAreRejected() {
        assertThatThrownBy(() -> QUEUE.withBackoff("linear", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linear");
        assertThatThrownBy(() -> QUEUE.withBackoff(null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidPoliciesAreRejected() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new RetryPolicy(0, second, 2.0, second, 0.1)).hasMessageContaining("attempts");
        assertThatThrownBy(() -> new RetryPolicy(3, second, 0.5, second, 0.1)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new RetryPolicy(3, second, 2.0, second, 1.0)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new RetryPolicy(3, second, 2.0, second, -0.1)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new RetryPolicy(3, second.negated(), 2.0, second, 0.1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> QUEUE.withBackoff(RetryPolicy.FIXED, Duration.ofMillis(-1))).hasMessageContaining("negative");
    }
}
