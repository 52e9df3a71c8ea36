package io.jobstream.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** External programs the launcher runs, their output kept in a log file that error messages quote. */
final class Commands {

    private static final int TAIL_LINES = 30;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Commands() {
    }

    /** Starts {@code builder}'s command in the background, output appended to {@code log}, no input. */
    static Process start(ProcessBuilder builder, Path log) {
        try {
            return builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new LaunchException("cannot run " + String.join(" ", builder.command()) + ": " + e.getMessage(), e);
        }
    }

    /** The last lines of a log, for error messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no output in " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops a process by its handle: SIGTERM, then SIGKILL if it is still there after {@code grace}. */
    static void stop(ProcessHandle process, Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (awaitExit(process, grace)) {
            return;
        }
        process.destroyForcibly();
        if (!awaitExit(process, KILL_WAIT)) {
            throw new IllegalStateException("process " + process.pid() + " is still alive after SIGKILL");
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }
}
