package io.jobstream.ai.embedding;

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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.retry.TransientJobException;

/**
 * Micro-batches the texts of concurrent jobs: each job calls {@link #embed(String)} on its own
 * (virtual) thread and blocks; texts are collected until {@code size} of them are waiting or the
 * oldest has waited {@code linger}, then the provider embeds them in one call and each caller gets
 * its own vector. One call per 32 texts instead of 32 calls is what makes OpenAI's rate limits and
 * the local model's batch fan-out pay off.
 *
 * <p>A failed call fails every caller of that batch with the provider's exception (so each job
 * retries or dead-letters as that exception says). Bounded: at most {@code maxPending} texts are
 * queued or in flight; further callers wait for room. Batches run concurrently, each on its own
 * virtual thread. {@link #close()} stops taking texts, sends what is queued without lingering and
 * waits for running batches; it does not close the provider.
 */
public final class EmbeddingBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingBatcher.class);

    private final EmbeddingProvider provider;
    private final int batchSize;
    private final long lingerNanos;
    private final int maxPending;
    private final Semaphore room;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ExecutorService batches = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("embedding-batch-", 0).factory());
    private final Thread dispatcher;
    private boolean closed;

    private record Pending(String text, long enqueuedAt, CompletableFuture<float[]> vector) {
    }

    public EmbeddingBatcher(EmbeddingProvider provider, EmbeddingProperties.Batch settings) {
        this.provider = provider;
        this.batchSize = settings.size();
        this.lingerNanos = settings.linger().toNanos();
        this.maxPending = settings.maxPending();
        this.room = new Semaphore(maxPending);
        this.dispatcher = Thread.ofVirtual().name("embedding-batcher-" + provider.model()).start(this::dispatch);
    }

    public EmbeddingProvider provider() {
        return provider;
    }

    /** Texts queued or being embedded right now: the batcher's queue depth. */
    public int pending() {
        return maxPending - room.availablePermits();
    }

    /** The vector of {@code text}, embedded together with other callers' texts. */
    public float[] embed(String text) {
        Texts.requireEmbeddable(text, 0);
        return await(submit(text));
    }

    /** The vectors of {@code texts}, in order; a long list is spread over several batches. */
    public List<float[]> embedAll(List<String> texts) {
        Texts.requireEmbeddable(texts);
        List<CompletableFuture<float[]>> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(submit(text));
        }
        List<float[]> result = new ArrayList<>(texts.size());
        for (CompletableFuture<float[]> vector : vectors) {
            result.add(await(vector));
        }
        return result;
    }

    private CompletableFuture<float[]> submit(String text) {
        try {
            room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientJobException("interrupted while waiting for room in the embedding batcher", null, e);
        }
        Pending pending = new Pending(text, System.nanoTime(), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                room.release();
                throw new IllegalStateException("embedding batcher for " + provider.model() + " is closed");
            }
            queue.addLast(pending);
            changed.signal();
        } finally {
            lock.unlock();
        }
        return pending.vector();
    }

    private static float[] await(CompletableFuture<float[]> vector) {
        try {
            return vector.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientJobException("interrupted while waiting for an embedding batch", null, e);
        } catch (ExecutionException e) {
            // The provider's own exception, the same instance for every caller of the batch.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("embedding batch failed", e.getCause());
        }
    }

    /** The dispatcher thread: cuts batches and hands each to its own virtual thread. */
    private void dispatch() {
        List<Pending> batch;
        while ((batch = nextBatch()) != null) {
            List<Pending> texts = batch;
            batches.execute(() -> run(texts));
        }
    }

    /**
     * Blocks until a batch is full, its oldest text has lingered long enough, or the batcher closes;
     * null when closed and empty.
     */
    private List<Pending> nextBatch() {
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
            while (queue.size() < batchSize && !closed && (wait = deadline - System.nanoTime()) > 0) {
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // Only JVM shutdown interrupts the dispatcher: flush and stop, as close() does.
                    closed = true;
                }
            }
            List<Pending> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
            while (batch.size() < batchSize && !queue.isEmpty()) {
                batch.add(queue.pollFirst());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending> batch) {
        long start = System.nanoTime();
        List<float[]> vectors;
        try {
            vectors = callProvider(batch);
        } catch (Throwable failure) {
            room.release(batch.size());
            log.warn("embedding batch failed model={} size={} millis={} error={}", provider.model(), batch.size(),
                    (System.nanoTime() - start) / 1_000_000, failure.toString());
            batch.forEach(p -> p.vector().completeExceptionally(failure));
            return;
        }
        // Room is freed before callers wake, so pending() never counts a text whose caller has its vector.
        room.release(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).vector().complete(vectors.get(i));
        }
        log.debug("embedding batch done model={} size={} millis={}", provider.model(), batch.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private List<float[]> callProvider(List<Pending> batch) {
        List<float[]> vectors = provider.embed(batch.stream().map(Pending::text).toList());
        if (vectors.size() != batch.size()) {
            throw new IllegalStateException(provider.model() + " returned " + vectors.size() + " vectors for "
                    + batch.size() + " texts");
        }
        return vectors;
    }

    /** Stops taking texts, embeds what is queued at once and waits for every batch to finish. */
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
