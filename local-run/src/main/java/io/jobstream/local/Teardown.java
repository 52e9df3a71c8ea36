package io.jobstream.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Everything the launcher started, stopped once in reverse order (services before the
 * infrastructure they use, the workspace last). The shutdown hook is the only caller of
 * {@link #stopAll()}, so Ctrl-C, SIGTERM and a failed start all clean up the same way.
 */
final class Teardown {

    private record Step(String name, AutoCloseable action) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final Console console;
    private boolean stopped;

    Teardown(Console console) {
        this.console = console;
    }

    /** Registers what to stop; something started after shutdown began is stopped at once. */
    synchronized void add(String name, AutoCloseable action) {
        Step step = new Step(name, action);
        if (stopped) {
            stop(step);
            throw new LaunchException("shutting down: stopped " + name + " again as soon as it started");
        }
        steps.push(step);
    }

    /** Whether shutdown has begun: from then on, processes ending are expected. */
    synchronized boolean stopping() {
        return stopped;
    }

    synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!steps.isEmpty()) {
            console.info("");
            console.heading("Stopping");
        }
        while (!steps.isEmpty()) {
            stop(steps.pop());
        }
    }

    private void stop(Step step) {
        long start = System.nanoTime();
        try {
            step.action().close();
            console.info(String.format(Locale.ROOT, "  - %-40s %5.1f s", step.name(), (System.nanoTime() - start) / 1e9));
        } catch (Exception e) {
            console.warn("could not stop " + step.name() + ": " + e.getMessage());
        }
    }
}
