package io.jobstream.local;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Results of the launcher's parallel steps. */
final class Futures {

    private Futures() {
    }

    /** The task's result, or its failure as it was thrown (a {@link LaunchException} keeps its advice). */
    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new LaunchException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }
}
