package io.jobstream.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one fault did: when it started and ended, when a restarted instance's Kafka Streams application ran
 * again (null for other faults), and when the stack served again (the instances it concerns running and every
 * probe job finished), or null when it did not within the limit.
 */
record FaultResult(String name, Instant start, Instant end, Instant running, Instant recovered, List<Submitted> probes) {

    Duration down() {
        return Duration.between(start, end);
    }

    /** From the restart of a killed instance to its Kafka Streams application running: JVM start and rejoin. */
    Duration restartToRunning() {
        return running == null ? null : Duration.between(end, running);
    }

    /** From the fault's end (the restart, the service back) to the stack serving again. */
    Duration recovery() {
        return recovered == null ? null : Duration.between(end, recovered);
    }
}
