package io.jobstream.test;

import java.lang.management.ManagementFactory;

/**
 * A benchmark's warm-up: rounds of its workload until the JIT compilers are all but done with the hot
 * paths (their time under {@value #STEADY_JIT_SHARE_PERCENT} % of a round's CPU, at most
 * {@value #MAX_ROUNDS} rounds). On two cores a JVM still compiling spends up to half its CPU on it,
 * which a long-running service does not; a fixed warm-up stops while it still does.
 */
public final class WarmUp {

    public static final int STEADY_JIT_SHARE_PERCENT = 10;
    public static final int MAX_ROUNDS = 20;

    private WarmUp() {
    }

    /** One round of the workload; returns what it achieved, for the log line ("8712 jobs/s"). */
    @FunctionalInterface
    public interface Round {
        String run(int round) throws Exception;
    }

    /** The JVMs being warmed up: the CPU they use and the part their JIT compilers take. */
    public interface Watched {
        long cpuNanos();

        long jitNanos();
    }

    /** This JVM. */
    public static final Watched THIS_JVM = new Watched() {
        @Override
        public long cpuNanos() {
            return processCpuNanos();
        }

        @Override
        public long jitNanos() {
            return WarmUp.jitNanos();
        }
    };

    /** Runs rounds until this JVM's JIT compilers are quiet, printing each round's result and their share. */
    public static void untilCompiled(Round round) throws Exception {
        untilCompiled(THIS_JVM, round);
    }

    /** Runs rounds until the watched JVMs' JIT compilers are quiet, printing each round's result and their share. */
    public static void untilCompiled(Watched watched, Round round) throws Exception {
        for (int n = 1; ; n++) {
            long cpuBefore = watched.cpuNanos();
            long jitBefore = watched.jitNanos();
            String achieved = round.run(n);
            double jitPercent = 100.0 * (watched.jitNanos() - jitBefore) / Math.max(1, watched.cpuNanos() - cpuBefore);
            System.out.printf("warm-up round %d: %s, JIT compilers %.0f%% of the CPU%n", n, achieved, jitPercent);
            if (jitPercent < STEADY_JIT_SHARE_PERCENT || n == MAX_ROUNDS) {
                return;
            }
        }
    }

    /** Time the JIT compilers have spent compiling (their threads are not among those ThreadMXBean lists). */
    public static long jitNanos() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000;
    }

    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
