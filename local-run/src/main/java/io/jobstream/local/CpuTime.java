package io.jobstream.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of a set of processes between two readings, read by the operating
 * system for each process. Unlike wall-clock rates it does not depend on what else the shared
 * machine runs at the time: it says what the work itself costs.
 */
final class CpuTime {

    private final Map<Long, Duration> start;

    private CpuTime(Map<Long, Duration> start) {
        this.start = start;
    }

    /** Starts counting for the processes {@code roots} names now and their descendants. */
    static CpuTime start(Stream<ProcessHandle> roots) {
        return new CpuTime(read(roots));
    }

    /**
     * CPU used since the start by the same set of processes; one started since counts in full, one
     * that ended in between counts for nothing (its figures are gone).
     */
    Duration since(Stream<ProcessHandle> roots) {
        return sinceByName(roots, process -> "").values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The same, per process name as {@code name} gives it; processes of one name add up. */
    Map<String, Duration> sinceByName(Stream<ProcessHandle> roots, Function<ProcessHandle, String> name) {
        Map<String, Duration> used = new TreeMap<>();
        roots.flatMap(root -> Stream.concat(Stream.of(root), root.descendants())).forEach(process ->
                process.info().totalCpuDuration().ifPresent(now -> used.merge(name.apply(process),
                        now.minus(start.getOrDefault(process.pid(), Duration.ZERO)), Duration::plus)));
        return used;
    }

    /** CPU used so far by the processes {@code roots} names and their descendants. */
    static Duration total(Stream<ProcessHandle> roots) {
        return read(roots).values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    private static Map<Long, Duration> read(Stream<ProcessHandle> roots) {
        Map<Long, Duration> cpu = new HashMap<>();
        roots.flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .forEach(process -> process.info().totalCpuDuration().ifPresent(used -> cpu.put(process.pid(), used)));
        return cpu;
    }
}
