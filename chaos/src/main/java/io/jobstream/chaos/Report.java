package io.jobstream.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The run's tables: one row per fault, then the jobs per kind, then every check with its count. */
final class Report {

    private static final int SHOWN_OFFENDERS = 5;

    private Report() {
    }

    static void print(PrintStream out, ChaosOptions options, Instant start, List<FaultResult> faults, Tally tally,
                      List<String> selfExits, int unacknowledged) {
        out.printf("%nchaos run: seed %d, workload %d s, %d kill(s) per processor instance, outages %d s%n%n",
                options.seed(), options.duration().toSeconds(), options.kills(), options.outage().toSeconds());
        out.printf("%-36s %8s %8s %9s %10s %6s %5s %11s %8s %8s  %s%n", "FAULT", "AT s", "DOWN s", "SERVED s",
                "RUNNING s", "CPU s", "LOAD", "RECOVER s", "RETRIED", "RE-RUN", "PROBES");
        for (FaultResult fault : faults) {
            Instant windowEnd = fault.recovered() != null ? fault.recovered() : fault.end().plus(Duration.ofMinutes(5));
            int[] counts = tally.retriesAndReruns(fault.start(), windowEnd);
            FaultResult.Restart restart = fault.restart();
            out.printf("%-36s %8.1f %8.1f %9s %10s %6s %5s %11s %8d %8d  %s%n", fault.name(),
                    seconds(Duration.between(start, fault.start())), seconds(fault.down()), optional(fault.servedAgain(), "NEVER"),
                    optional(fault.restartToRunning(), fault.restarts() ? "NEVER" : "-"),
                    optional(restart == null ? null : restart.cpu(), "-"),
                    restart == null || restart.load() == null ? "-" : "%.1f".formatted(restart.load()),
                    optional(fault.recovery(), "NEVER"), counts[0], counts[1],
                    fault.probes().stream().map(Submitted::jobId).toList());
        }
        out.printf("(SERVED: the kill or outage over, until its probe jobs finished; RUNNING: until the restarted instance"
                + " processed again, having used CPU s of CPU time, at that LOAD, the 1-minute load average on %d cores)%n",
                Runtime.getRuntime().availableProcessors());
        out.printf("%n%-18s %10s %10s %10s %10s %10s%n", "JOBS", "SUBMITTED", "COMPLETED", "FAILED", "P50 s", "P95 s");
        tally.kinds.forEach((kind, counts) -> out.printf("%-18s %10d %10d %10d %10s %10s%n", kind, counts.submitted(),
                counts.completed(), counts.failed(), optional(counts.p50(), "-"), optional(counts.p95(), "-")));
        out.println("(P50, P95: from a job's acknowledgement to its COMPLETED, faults or not; a reminder's include its due time)");
        out.printf("%nretries (RETRY_SCHEDULED) %d, attempts re-run after a crash %d, submissions never acknowledged %d, "
                + "instances that exited by themselves %d %s%n", tally.retries, tally.reruns, unacknowledged,
                selfExits.size(), selfExits);
        Map<String, Integer> causes = tally.deadLetterCauses();
        if (!causes.isEmpty()) {
            out.println("dead-letter causes: " + causes);
        }
        out.printf("%n%-58s %6s  %s%n", "CHECK (each must be 0)", "COUNT", "FIRST");
        for (Tally.Check check : tally.checks) {
            out.printf("%-58s %6d  %s%n", check.what(), check.count(),
                    check.offenders().subList(0, Math.min(SHOWN_OFFENDERS, check.count())));
        }
        boolean recovered = faults.stream().allMatch(fault -> fault.recovered() != null);
        out.printf("%n%s%n", tally.passed() && recovered ? "PASSED: nothing lost, nothing doubled"
                : "FAILED" + (recovered ? "" : ": a fault was not recovered from") );
    }

    private static String optional(Duration duration, String absent) {
        return duration == null ? absent : "%.1f".formatted(seconds(duration));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
