package io.jobstream.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The time other JVMs' JIT compilers have spent compiling, as {@code jstat -compiler} reads it from
 * their performance counters; 0 for a process that is not a JVM or cannot be read.
 */
final class JitTime {

    private static final Path JSTAT = Path.of(System.getProperty("java.home"), "bin", "jstat");
    private static final long JSTAT_TIMEOUT_SECONDS = 30;

    private JitTime() {
    }

    /** The sum over the JVMs among {@code roots} and their descendants. */
    static long nanos(Stream<ProcessHandle> roots) {
        return roots.flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .filter(process -> process.info().command().filter(command -> command.endsWith("/java")).isPresent())
                .mapToLong(JitTime::nanos)
                .sum();
    }

    private static long nanos(ProcessHandle jvm) {
        try {
            Process jstat = new ProcessBuilder(JSTAT.toString(), "-compiler", Long.toString(jvm.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(jstat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jstat.waitFor(JSTAT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || jstat.exitValue() != 0) {
                jstat.destroyForcibly();
                return 0;
            }
            // "Compiled Failed Invalid Time FailedType FailedMethod", then one line of values; Time in seconds.
            String[] lines = output.strip().split("\n");
            String[] values = lines[lines.length - 1].trim().split("\\s+");
            return lines.length < 2 || values.length < 4 ? 0 : (long) (Double.parseDouble(values[3]) * 1e9);
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
