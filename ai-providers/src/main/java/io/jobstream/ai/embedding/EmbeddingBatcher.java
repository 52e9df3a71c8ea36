package io.jobstream.ai.embedding;

import java.util.List;

import io.jobstream.core.batch.MicroBatcher;

/**
 * Micro-batches the texts of concurrent callers into provider calls ({@link MicroBatcher}): each
 * caller blocks on {@link #embed(String)} until its batch of up to {@code size} texts (or what
 * arrived within {@code linger}) has been embedded in one call. One call per 32 texts instead of
 * 32 calls is what makes OpenAI's rate limits and the local model's batch fan-out pay off.
 *
 * <p>A failed call fails every caller of that batch with the provider's exception. At most
 * {@code maxPending} texts are queued or in flight. {@link #close()} embeds what is queued without
 * lingering and waits for running batches; it does not close the provider.
 */
public final class EmbeddingBatcher implements AutoCloseable {

    private final EmbeddingProvider provider;
    private final MicroBatcher<String, float[]> batcher;

    public EmbeddingBatcher(EmbeddingProvider provider, EmbeddingProperties.Batch settings) {
        this.provider = provider;
        this.batcher = new MicroBatcher<>("embedding-" + provider.model(), provider::embed, settings.size(),
                settings.linger(), settings.maxPending());
    }

    public EmbeddingProvider provider() {
        return provider;
    }

    /** Texts queued or being embedded right now: the batcher's queue depth. */
    public int pending() {
        return batcher.pending();
    }

    /** The vector of {@code text}, embedded together with other callers' texts. */
    public float[] embed(String text) {
        Texts.requireEmbeddable(text, 0);
        return batcher.call(text);
    }

    /** The vectors of {@code texts}, in order; a long list is spread over several batches. */
    public List<float[]> embedAll(List<String> texts) {
        Texts.requireEmbeddable(texts);
        return batcher.callAll(texts);
    }

    /** Stops taking texts, embeds what is queued at once and waits for every batch to finish. */
    @Override
    public void close() {
        batcher.close();
    }
}
