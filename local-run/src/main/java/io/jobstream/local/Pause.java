package io.jobstream.local;

import java.time.Duration;

/** Sleeps between polls; an interrupt (shutdown) ends the wait as a {@link LaunchException}. */
final class Pause {

    private static final Duration BRIEF = Duration.ofMillis(100);

    private Pause() {
    }

    static void briefly() {
        sleep(BRIEF);
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
