package io.jobstream.core.async;

import java.time.Duration;

/**
 * @param concurrency  jobs running at once per worker instance, across its tasks (BullMQ's worker concurrency)
 * @param capacity     jobs held per task, running or waiting behind a busy key; beyond it the
 *                     stream thread waits for a slot (backpressure)
 * @param timeout      an attempt running longer fails with a (transient) timeout
 * @param maxBlock     the longest the stream thread waits for a slot before taking the record
 *                     anyway; kept well under the transaction timeout
 * @param tick         how often finished work is collected when no records arrive
 */
public record AsyncStepSettings(int concurrency, int capacity, Duration timeout, Duration maxBlock, Duration tick) {

    public static AsyncStepSettings of(int concurrency, Duration timeout) {
        return new AsyncStepSettings(concurrency, concurrency * 4, timeout, Duration.ofSeconds(5), Duration.ofMillis(10));
    }

    public AsyncStepSettings {
        if (concurrency < 1 || capacity < concurrency) {
            throw new IllegalArgumentException("need 1 <= concurrency <= capacity, got " + concurrency + "/" + capacity);
        }
    }
}
