package io.jobstream.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What the launcher prints. On a terminal the progress line is redrawn in place and markers are
 * coloured; into a pipe or file every line is plain text.
 */
final class Console {

    private static final String RESET = "\033[0m";
    private static final String BOLD = "\033[1m";
    private static final String GREEN = "\033[32m";
    private static final String YELLOW = "\033[33m";
    private static final String RED = "\033[31m";
    private static final String CLEAR_TO_END_OF_LINE = "\033[K";

    private final PrintStream out;
    private final boolean terminal;
    private boolean progressOpen;

    Console(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    static Console system() {
        return new Console(System.out, stdoutIsTerminal());
    }

    // Java 21's API cannot tell a terminal from a pipe (Console.isTerminal() is Java 22): on Linux,
    // standard output is a terminal when it is a /dev/pts or /dev/tty device.
    private static boolean stdoutIsTerminal() {
        try {
            String target = Path.of("/proc/self/fd/1").toRealPath().toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    boolean terminal() {
        return terminal;
    }

    synchronized void heading(String text) {
        line(style(BOLD, text));
    }

    synchronized void info(String text) {
        line(text);
    }

    /** A component that is up: {@code + kafka                 4.1 s  127.0.0.1:40123}. */
    synchronized void ready(String name, Duration took, String detail) {
        line(String.format(Locale.ROOT, "  %s %-22s %5.1f s  %s", style(GREEN, "+"), name, took.toMillis() / 1000.0, detail));
    }

    synchronized void warn(String text) {
        line(style(YELLOW, "! ") + text);
    }

    synchronized void error(String text) {
        line(style(RED, "x ") + text);
    }

    /** Replaces the progress line on a terminal; elsewhere prints it as one more line. */
    synchronized void progress(String text) {
        if (terminal) {
            out.print("\r" + text + CLEAR_TO_END_OF_LINE);
            out.flush();
            progressOpen = true;
        } else {
            out.println(text);
        }
    }

    private void line(String text) {
        if (progressOpen) {
            out.println();
            progressOpen = false;
        }
        out.println(text);
    }

    private String style(String code, String text) {
        return terminal ? code + text + RESET : text;
    }
}
