package io.jobstream.core.async;

import java.time.Duration;

/**
 * @param concurrency  jobs running at once per worker instance, across its tasks (BullMQ's worker concurrency)
 * @param capacity     jobs held per task, running or waiting behind a busy key; beyond it the
 *                     stream thread waits for a slot (backpressure)
 * @param timeout      an attempt running longer fails with a (transient) timeout
 * @param maxBlock     the longest the stream thread waits for room before taking the record
 *                     anyway. The thread serves every task and its transaction times out (and the
 *                     tasks are fenced and their work re-run) if it stalls for long, so this stays
 *                     short: capacity is a soft bound, and Kafka Streams' own per-partition buffer
 *                     limits what a task can be handed
 * @param tick         how often finished work is collected when no records arrive, and running
 *                     jobs announced (a job ending within a tick publishes no ACTIVE event)
 * @param prioritized  whether jobs' priorities order the jobs a task holds; off: arrival order
 */
public record AsyncStepSettings(int concurrency, int capacity, Duration timeout, Duration maxBlock, Duration tick,
                                boolean prioritized) {

    public static AsyncStepSettings of(int concurrency, Duration timeout) {
        return new AsyncStepSettings(concurrency, concurrency * 4, timeout, Duration.ofMillis(100), Duration.ofMillis(10),
                true);
    }

    public AsyncStepSettings withPrioritized(boolean prioritized) {
        return new AsyncStepSettings(concurrency, capacity, timeout, maxBlock, tick, prioritized);
    }

    public AsyncStepSettings {
        if (concurrency < 1 || capacity < concurrency) {
            throw new IllegalArgumentException("need 1 <= concurrency <= capacity, got " + concurrency + "/" + capacity);
        }
    }
}
