package io.jobstream.ai.embedding;

import java.util.List;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;

/**
 * Turns texts into vectors. Implementations are thread-safe and return unit-length vectors (compare
 * them by cosine, i.e. dot product).
 *
 * <p>Failures use pipeline-core's classification so that the calling job is retried or
 * dead-lettered correctly: {@link TransientJobException} for rate limits (with the provider's
 * Retry-After when it gave one), 5xx, timeouts and connection errors; {@link PermanentJobException}
 * for input the provider rejects (other 4xx, blank texts).
 */
public interface EmbeddingProvider extends AutoCloseable {

    /** Stable id of the model, stored with each vector: vectors of different models never mix. */
    String model();

    /** Length of every vector this provider returns. */
    int dimensions();

    /**
     * Embeds a batch in one go.
     *
     * @param texts non-blank texts
     * @return one vector per text, in the order of {@code texts}
     */
    List<float[]> embed(List<String> texts);

    /** Releases native sessions, threads or connections; the default holds none. */
    @Override
    default void close() {
    }
}
