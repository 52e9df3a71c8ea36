package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), "third poll", () -> polls.incrementAndGet() == 3);

        assertThat(polls).as("polled until the condition held, then stopped").hasValue(3);
    }

    @Test
    void failsNamingWhatItWaitedFor() {
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(120), "the impossible", () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the impossible");
    }
}
