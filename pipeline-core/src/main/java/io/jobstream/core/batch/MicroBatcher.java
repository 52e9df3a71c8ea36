package io.jobstream.core.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.retry.TransientJobException;

/**
 * Micro-batches the work of concurrent jobs: each job calls {@link #call(Object)} on its own
 * (virtual) thread and blocks; inputs are collected until {@code size} of them are waiting or the
 * oldest has waited {@code linger}, then {@code batch} handles them in one go and each caller gets
 * its own result. One model call, one SQL statement per batch instead of one per job.
 *
 * <p>A failed batch fails every caller of that batch with the same exception (so each job retries
 * or dead-letters as that exception says); a per-caller failure is the batch function's business,
 * in its result type. Bounded: at most {@code maxPending} inputs are queued or in flight; further
 * callers wait for room. Batches run concurrently, each on its own virtual thread.
 * {@link #close()} stops taking inputs, runs what is queued without lingering and waits for
 * running batches.
 *
 * @param <I> one caller's input
 * @param <O> one caller's result
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

    private final String name;
    private final Function<List<I>, List<O>> batch;
    private final int size;
    private final long lingerNanos;
    private final int maxPending;
    private final Semaphore room;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private final ExecutorService batches;
    private final Thread dispatcher;
    private boolean closed;

    private record Pending<I, O>(I input, long enqueuedAt, CompletableFuture<O> result) {
    }

    /**
     * @param name  for thread names and logs
     * @param batch one result per input, in order; throwing fails every caller of the batch
     */
    public MicroBatcher(String name, Function<List<I>, List<O>> batch, int size, Duration linger, int maxPending) {
        if (size < 1 || maxPending < size || linger.isNegative()) {
            throw new IllegalArgumentException("need 1 <= size <= maxPending and linger >= 0, got size=" + size
                    + " maxPending=" + maxPending + " linger=" + linger);
        }
        this.name = name;
        this.batch = batch;
        this.size = size;
        this.lingerNanos = linger.toNanos();
        this.maxPending = maxPending;
        this.room = new Semaphore(maxPending);
        this.batches = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("batch-" + name + "-", 0).factory());
        this.dispatcher = Thread.ofVirtual().name("batcher-" + name).start(this::dispatch);
    }

    /** Inputs queued or being handled right now: the batcher's queue depth. */
    public int pending() {
        return maxPending - room.availablePermits();
    }

    /** The result of {@code input}, handled together with other callers' inputs. */
    public O call(I input) {
        return await(submit(input));
    }

    /** The results of {@code inputs}, in order; a long list is spread over several batches. */
    public List<O> callAll(List<I> inputs) {
        List<CompletableFuture<O>> results = new ArrayList<>(inputs.size());
        for (I input : inputs) {
            results.add(submit(input));
        }
        List<O> out = new ArrayList<>(inputs.size());
        for (CompletableFuture<O> result : results) {
            out.add(await(result));
        }
        return out;
    }

    private CompletableFuture<O> submit(I input) {
        try {
            room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientJobException("interrupted while waiting for room in batcher " + name, null, e);
        }
        Pending<I, O> pending = new Pending<>(input, System.nanoTime(), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                room.release();
                throw new IllegalStateException("batcher " + name + " is closed");
            }
            queue.addLast(pending);
            changed.signal();
        } finally {
            lock.unlock();
        }
        return pending.result();
    }

    private O await(CompletableFuture<O> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientJobException("interrupted while waiting for batch " + name, null, e);
        } catch (ExecutionException e) {
            // The batch's own exception, the same instance for every caller of the batch.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("batch " + name + " failed", e.getCause());
        }
    }

    /** The dispatcher thread: cuts batches and hands each to its own virtual thread. */
    private void dispatch() {
        List<Pending<I, O>> next;
        while ((next = nextBatch()) != null) {
            List<Pending<I, O>> inputs = next;
            batches.execute(() -> run(inputs));
        }
    }

    /**
     * Blocks until a batch is full, its oldest input has lingered long enough, or the batcher closes;
     * null when closed and empty.
     */
    private List<Pending<I, O>> nextBatch() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                changed.awaitUninterruptibly();
            }
            if (queue.isEmpty()) {
                return null;
            }
            long deadline = queue.peekFirst().enqueuedAt() + lingerNanos;
            long wait;
            while (queue.size() < size && !closed && (wait = deadline - System.nanoTime()) > 0) {
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // Only JVM shutdown interrupts the dispatcher: flush and stop, as close() does.
                    closed = true;
                }
            }
            List<Pending<I, O>> next = new ArrayList<>(Math.min(size, queue.size()));
            while (next.size() < size && !queue.isEmpty()) {
                next.add(queue.pollFirst());
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending<I, O>> inputs) {
        long start = System.nanoTime();
        List<O> results;
        try {
            results = batch.apply(inputs.stream().map(Pending::input).toList());
            if (results.size() != inputs.size()) {
                throw new IllegalStateException("batch " + name + " returned " + results.size() + " results for "
                        + inputs.size() + " inputs");
            }
        } catch (Throwable failure) {
            room.release(inputs.size());
            log.warn("batch failed batcher={} size={} millis={} error={}", name, inputs.size(),
                    (System.nanoTime() - start) / 1_000_000, failure.toString());
            inputs.forEach(p -> p.result().completeExceptionally(failure));
            return;
        }
        // Room is freed before callers wake, so pending() never counts an input whose caller has its result.
        room.release(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            inputs.get(i).result().complete(results.get(i));
        }
        log.debug("batch done batcher={} size={} millis={}", name, inputs.size(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Stops taking inputs, runs what is queued at once and waits for every batch to finish. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            dispatcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batches.close();
    }
}
