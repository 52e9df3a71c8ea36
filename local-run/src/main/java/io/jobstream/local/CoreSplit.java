package io.jobstream.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The machine's cores split in two with {@code taskset}: the embedding model's inference threads on
 * cores of their own, every other thread of the stack (broker, PostgreSQL, Redis, both services'
 * other threads, the benchmark's client) on the rest. It answers whether the pipeline keeps its
 * model busy when the model is not also paying for the broker and the database, as on a machine
 * where the model has dedicated cores (or a GPU).
 *
 * @param modelCores CPU numbers for the model's threads, one thread per core
 * @param otherCores CPU numbers for everything else
 */
record CoreSplit(List<Integer> modelCores, List<Integer> otherCores) {

    private static final long TASKSET_SECONDS = 10;

    /** Half of this machine's cores (at least one) for the model, the other half for the rest. */
    static CoreSplit halves() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores < 2) {
            throw new LaunchException("a core split needs at least 2 cores; this machine offers " + cores);
        }
        List<Integer> all = IntStream.range(0, cores).boxed().toList();
        return new CoreSplit(all.subList(0, cores / 2), all.subList(cores / 2, cores));
    }

    int modelThreads() {
        return modelCores.size();
    }

    String describe() {
        return "model threads on CPU " + list(modelCores) + ", everything else on CPU " + list(otherCores);
    }

    /** Every thread of these processes and of their descendants onto the other cores; new threads inherit it. */
    void moveToOtherCores(Stream<ProcessHandle> processes) {
        move(processes, otherCores);
    }

    /** Every thread of these processes and of their descendants back onto every core. */
    void moveToAllCores(Stream<ProcessHandle> processes) {
        move(processes, Stream.concat(modelCores.stream(), otherCores.stream()).toList());
    }

    private static void move(Stream<ProcessHandle> processes, List<Integer> cores) {
        processes.flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .filter(ProcessHandle::isAlive)
                .forEach(process -> {
                    // A PostgreSQL backend or a thread may end meanwhile: try again, and let only a live process fail.
                    String[] args = {"-a", "-p", "-c", list(cores), Long.toString(process.pid())};
                    if (!taskset(args) && !taskset(args) && process.isAlive()) {
                        throw new LaunchException("cannot move process " + process.pid() + " to CPU " + list(cores));
                    }
                });
    }

    /**
     * The threads of {@code process} whose OS name starts with {@code threadPrefix} onto the model's
     * cores. Fails if there is none: a split that pinned nothing would measure the shared case.
     */
    void moveToModelCores(ProcessHandle process, String threadPrefix) {
        List<String> threads = threads(process, threadPrefix);
        if (threads.isEmpty()) {
            throw new LaunchException("process " + process.pid() + " has no thread named " + threadPrefix + "*");
        }
        for (String tid : threads) {
            if (!taskset("-p", "-c", list(modelCores), tid)) {
                throw new LaunchException("cannot move thread " + tid + " of process " + process.pid() + " to CPU "
                        + list(modelCores));
            }
        }
    }

    private static List<String> threads(ProcessHandle process, String prefix) {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (Stream<Path> ids = Files.list(tasks)) {
            return ids.filter(task -> threadName(task).startsWith(prefix)).map(task -> task.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new LaunchException("cannot list the threads of process " + process.pid() + ": " + e.getMessage(), e);
        }
    }

    private static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException threadEnded) {
            return "";
        }
    }

    private static boolean taskset(String... args) {
        List<String> command = Stream.concat(Stream.of("taskset"), Stream.of(args)).toList();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(TASKSET_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            throw new LaunchException("cannot run taskset (util-linux): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String list(List<Integer> cores) {
        return cores.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
