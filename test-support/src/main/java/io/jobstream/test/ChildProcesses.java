package io.jobstream.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID files for the processes the harness starts (broker, PostgreSQL, Redis, services), so that
 * what a SIGKILLed test JVM left behind is stopped by the next one. Each file names the child,
 * its start time, its command line (for the log) and the JVM that owns it; a child is reaped only
 * when its owner is gone and the process under that PID still has the recorded start time, so a
 * reused PID is never touched. The start time, not the command line, is the identity because
 * redis-server and PostgreSQL rewrite their process titles after start.
 */
public final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "jobstream-test-pids");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static boolean reaped;

    private ChildProcesses() {
    }

    /** The directory of the PID files. */
    public static Path directory() {
        return DIR;
    }

    /** Records {@code child} as started by this JVM; returns its PID file, for {@link #forget}. */
    static Path record(ProcessHandle child) {
        try {
            Files.createDirectories(DIR);
            Path file = DIR.resolve(child.pid() + ".pid");
            Files.writeString(file, "child=" + child.pid() + "\nowner=" + ProcessHandle.current().pid()
                    + "\nstarted=" + started(child).orElse("") + "\ncmdline=" + cmdline(child.pid()).orElse("") + "\n");
            return file;
        } catch (IOException e) {
            // Reaping is a convenience: a test runs the same without its PID file.
            log.warn("cannot write the PID file of process {} in {}: {}", child.pid(), DIR, e.toString());
            return DIR.resolve(child.pid() + ".pid");
        }
    }

    /** The child stopped normally: nothing to reap. */
    static void forget(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("cannot delete PID file {}: {}", pidFile, e.toString());
        }
    }

    /** Reaps orphans once per JVM, before its first child starts. */
    static synchronized void reapOrphansOnce() {
        if (!reaped) {
            reaped = true;
            reapOrphans();
        }
    }

    /** Stops every recorded child whose owning JVM is gone; returns the PIDs stopped. */
    public static synchronized List<Long> reapOrphans() {
        if (!Files.isDirectory(DIR)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".pid"))
                    .flatMap(file -> reap(file).stream())
                    .toList();
        } catch (IOException e) {
            log.warn("cannot list {}: {}", DIR, e.toString());
            return List.of();
        }
    }

    private static Optional<Long> reap(Path file) {
        Map<String, String> entries;
        try {
            entries = Files.readAllLines(file).stream().filter(line -> line.contains("="))
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                            line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
        } catch (NoSuchFileException alreadyGone) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read PID file {}: {}", file, e.toString());
            return Optional.empty();
        }
        long child;
        long owner;
        try {
            child = Long.parseLong(entries.getOrDefault("child", ""));
            owner = Long.parseLong(entries.getOrDefault("owner", ""));
        } catch (NumberFormatException e) {
            forget(file);
            return Optional.empty();
        }
        if (Files.exists(proc(owner))) {
            return Optional.empty();
        }
        String recorded = entries.getOrDefault("started", "");
        Optional<ProcessHandle> orphan = ProcessHandle.of(child);
        boolean same = !recorded.isEmpty() && orphan.flatMap(ChildProcesses::started).filter(recorded::equals).isPresent();
        forget(file);
        if (!same) {
            return Optional.empty();
        }
        log.warn("stopping process {} left behind by test JVM {} ({})", child, owner, entries.get("cmdline"));
        Commands.stop(orphan.get(), STOP_GRACE);
        return Optional.of(child);
    }

    /** When the process started, as the kernel has it: unchanged for the life of the process. */
    private static Optional<String> started(ProcessHandle process) {
        return process.info().startInstant().map(instant -> Long.toString(instant.toEpochMilli()));
    }

    /** {@code /proc/<pid>/cmdline} with its NUL separators as spaces. */
    private static Optional<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc(pid).resolve("cmdline"));
            String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            return line.isEmpty() ? Optional.empty() : Optional.of(line);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path proc(long pid) {
        return Path.of("/proc", Long.toString(pid));
    }
}
