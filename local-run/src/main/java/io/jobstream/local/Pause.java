package io.jobstream.local;

import java.time.Duration;

/** Sleeps between polls; an interrupt (shutdown) ends the wait as a {@link LaunchException}. */
final class Pause {

    private Pause() {
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }
}
