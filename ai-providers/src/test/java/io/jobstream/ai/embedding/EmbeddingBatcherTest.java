package io.jobstream.ai.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.test.Await;

/** Concurrent callers on virtual threads against the real local model (or a provider that fails on purpose). */
class EmbeddingBatcherTest {

    private static LocalMiniLmEmbeddings model;

    @BeforeAll
    static void load() {
        model = new LocalMiniLmEmbeddings(2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void batchesConcurrentCallersAndGivesEachItsOwnVector() throws Exception {
        RecordingProvider provider = new RecordingProvider(model);
        List<String> texts = IntStream.range(0, 100)
                .mapToObj(i -> "Post " + i + ": " + (i % 3 == 0 ? "remote backend role, Kafka and Java"
                        : i % 3 == 1 ? "my sourdough starter finally doubled overnight" : "review of a trail running shoe"))
                .toList();

        List<float[]> vectors;
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(provider, new EmbeddingProperties.Batch(32, Duration.ofMillis(200), 256))) {
            vectors = callConcurrently(texts, batcher::embed);
        }

        assertThat(provider.batchSizes).as("provider calls (batch sizes)").hasSizeLessThanOrEqualTo(5);
        assertThat(provider.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(provider.batchSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(32));
        List<float[]> direct = model.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).as("vector of caller %d", i).containsExactly(direct.get(i), within(1e-5f));
        }
    }

    @Test
    void aFailedBatchFailsEveryCallerWithTheProvidersException() throws Exception {
        TransientJobException rateLimited = new TransientJobException("429 from provider", Duration.ofSeconds(3), null);
        EmbeddingProvider failing = new EmbeddingProvider() {
            @Override
            public String model() {
                return "failing";
            }

            @Override
            public int dimensions() {
                return 384;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                throw rateLimited;
            }
        };
        List<String> texts = IntStream.range(0, 10).mapToObj(i -> "text " + i).toList();

        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(failing, new EmbeddingProperties.Batch(32, Duration.ofMillis(200), 256))) {
            callConcurrently(texts, text -> {
                try {
                    return batcher.embed(text);
                } catch (RuntimeException e) {
                    failures.add(e);
                    return null;
                }
            });
        }

        assertThat(failures).hasSize(10).allSatisfy(failure -> assertThat(failure).isSameAs(rateLimited));
    }

    @Test
    void callersWaitWhileMaxPendingTextsAreInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingProvider provider = new RecordingProvider(texts -> {
            awaitQuietly(release);
            return model.embed(texts);
        });
        List<String> texts = IntStream.range(0, 20).mapToObj(i -> "queued job " + i).toList();

        try (EmbeddingBatcher batcher = new EmbeddingBatcher(provider, new EmbeddingProperties.Batch(4, Duration.ofMillis(5), 8));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results;
            try {
                results = texts.stream().map(text -> callers.submit(() -> batcher.embed(text))).toList();
                Await.until(Duration.ofSeconds(10), "two batches of 4 in flight", () -> provider.batchSizes.size() == 2);
                Thread.sleep(300);
                assertThat(provider.batchSizes).as("nothing beyond maxPending=8 reaches the provider").containsExactly(4, 4);
                assertThat(batcher.pending()).isEqualTo(8);
            } finally {
                release.countDown();
            }
            for (Future<float[]> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).hasSize(384);
            }
            assertThat(batcher.pending()).isZero();
        }
        assertThat(provider.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    }

    @Test
    void closeSendsQueuedTextsWithoutLingeringAndRefusesNewOnes() throws Exception {
        RecordingProvider provider = new RecordingProvider(model);
        EmbeddingBatcher batcher = new EmbeddingBatcher(provider, new EmbeddingProperties.Batch(32, Duration.ofMinutes(10), 64));
        List<String> texts = List.of("chunk one of the annual report", "chunk two of the annual report");

        try (ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<float[]>> pending = caller.submit(() -> batcher.embedAll(texts));
            Await.until(Duration.ofSeconds(10), "both texts queued", () -> batcher.pending() == 2);
            assertThat(provider.batchSizes).as("still lingering").isEmpty();
            long start = System.nanoTime();
            batcher.close();

            assertThat(pending.get(10, TimeUnit.SECONDS)).hasSize(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(provider.batchSizes).containsExactly(2);
        assertThatThrownBy(() -> batcher.embed("too late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsABlankTextWithoutTouchingOtherCallersBatch() {
        RecordingProvider provider = new RecordingProvider(model);
        try (EmbeddingBatcher batcher = new EmbeddingBatcher(provider, EmbeddingProperties.defaults().batch())) {
            assertThatThrownBy(() -> batcher.embed(" ")).isInstanceOf(PermanentJobException.class);
            assertThat(batcher.embed("a real sentence")).hasSize(384);
        }
        assertThat(provider.batchSizes).containsExactly(1);
    }

    private interface Embedder {
        float[] embed(String text);
    }

    /** One virtual thread per text, all released at once; results in text order. */
    private static List<float[]> callConcurrently(List<String> texts, Embedder embedder) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> futures = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String text : texts) {
                futures.add(callers.submit(() -> {
                    start.await();
                    return embedder.embed(text);
                }));
            }
            start.countDown();
            List<float[]> vectors = new ArrayList<>();
            for (Future<float[]> future : futures) {
                vectors.add(future.get(60, TimeUnit.SECONDS));
            }
            return vectors;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delegates to real embeddings and records the size of every call. */
    private static final class RecordingProvider implements EmbeddingProvider {

        private interface Embed {
            List<float[]> embed(List<String> texts);
        }

        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final Embed delegate;

        RecordingProvider(EmbeddingProvider delegate) {
            this(delegate::embed);
        }

        RecordingProvider(Embed delegate) {
            this.delegate = delegate;
        }

        @Override
        public String model() {
            return LocalMiniLmEmbeddings.MODEL_ID;
        }

        @Override
        public int dimensions() {
            return LocalMiniLmEmbeddings.DIMENSIONS;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            batchSizes.add(texts.size());
            return delegate.embed(texts);
        }
    }
}
