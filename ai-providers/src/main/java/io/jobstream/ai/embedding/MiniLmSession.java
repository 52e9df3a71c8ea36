package io.jobstream.ai.embedding;

import java.io.ByteArrayInputStream;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * One ONNX Runtime session of all-MiniLM-L6-v2 (quantized) with a single intra-op thread, used
 * by one thread at a time. langchain4j's bundled model class shares one session tuned to all
 * cores; on 2 cores two single-threaded sessions side by side embed almost twice as fast, and only
 * this base class lets us hand the encoder our own session. Tokenization, mean pooling, windowing
 * of long texts and normalization stay langchain4j's.
 */
final class MiniLmSession extends AbstractInProcessEmbeddingModel implements AutoCloseable {

    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;

    MiniLmSession(OrtEnvironment environment, byte[] model, byte[] tokenizer) throws OrtException {
        // Runnable::run: this class never fans out itself; LocalMiniLmEmbeddings runs the sessions in parallel.
        super(Runnable::run);
        try (SessionOptions options = new SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OptLevel.ALL_OPT);
            this.session = environment.createSession(model, options);
        }
        this.encoder = new OnnxBertBiEncoder(environment, session, new ByteArrayInputStream(tokenizer),
                PoolingMode.MEAN);
    }

    /** The unit-length embedding of one text, computed on the calling thread. */
    float[] vector(String text) {
        return embed(text).content().vector();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return LocalMiniLmEmbeddings.DIMENSIONS;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
