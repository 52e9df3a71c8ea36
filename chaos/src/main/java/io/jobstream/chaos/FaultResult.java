package io.jobstream.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one fault did: when it started and ended, when the probe jobs submitted at its end had all finished
 * (the stack served again), and when a restarted instance's Kafka Streams application ran again (null for
 * other faults); null where that did not happen within the limit.
 */
record FaultResult(String name, Instant start, Instant end, boolean restarts, Instant served, Restart restart,
                   List<Submitted> probes) {

    /**
     * A killed instance running again, and what its start cost: the CPU time its JVM had used by then, and the
     * machine's load at that moment. On a loaded machine the start waits for CPU, not for Kafka.
     *
     * @param load the 1-minute load average (runnable threads), null where the system does not tell it
     */
    record Restart(Instant running, Duration cpu, Double load) {
    }

    /** Served again and, after a kill, the killed instance running again; null if either never happened. */
    Instant recovered() {
        if (served == null || (restarts && restart == null)) {
            return null;
        }
        return restart != null && restart.running().isAfter(served) ? restart.running() : served;
    }

    Duration down() {
        return Duration.between(start, end);
    }

    /** From the restart of a killed instance to its Kafka Streams application running: JVM start and rejoin. */
    Duration restartToRunning() {
        return restart == null ? null : Duration.between(end, restart.running());
    }

    /** From the fault's end (the kill and restart, the service back) to its probe jobs finished. */
    Duration servedAgain() {
        return served == null ? null : Duration.between(end, served);
    }

    /** From the fault's end to the stack whole again: served, and a killed instance running. */
    Duration recovery() {
        Instant recovered = recovered();
        return recovered == null ? null : Duration.between(end, recovered);
    }
}
