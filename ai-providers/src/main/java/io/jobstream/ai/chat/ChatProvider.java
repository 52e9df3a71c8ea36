package io.jobstream.ai.chat;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;

/**
 * Answers a chat message, calling tools as needed. Thread-safe. Failures use pipeline-core's
 * classification: {@link TransientJobException} for 429 (with Retry-After), 5xx, timeouts and
 * connection errors; {@link PermanentJobException} for requests the provider rejects.
 */
public interface ChatProvider extends AutoCloseable {

    /** {@code openai} or {@code local-retrieval}: shown with every answer. */
    String name();

    String model();

    ChatAnswer answer(ChatRequest request);

    @Override
    default void close() {
    }
}
