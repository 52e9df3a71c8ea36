package io.jobstream.chaos;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.chaos.FaultResult.Restart;
import io.jobstream.test.Await;

/**
 * Runs the faults in lanes: one lane per processor kind (the kill -9s of its two instances) and one for the
 * rest (an ingest instance, the broker, PostgreSQL, Redis, the model provider). Within a lane the faults come
 * one after the other at seeded random moments (a fault due while the previous one is still recovering waits
 * for it); the lanes run side by side, so ten kills of every instance fit in a run of a few minutes and faults
 * overlap as they would in production. Each fault's recovery is measured.
 */
final class FaultRunner {

    private static final Logger log = LoggerFactory.getLogger(FaultRunner.class);
    private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(5);
    private static final Duration FIRST_FAULT = Duration.ofSeconds(10);

    /** Faults that happen one after the other, each at its moment. */
    record Lane(String name, List<Fault> faults, List<Instant> moments) {
    }

    private final Stack stack;
    private final Workload workload;
    private final JobLedger ledger;

    FaultRunner(Stack stack, Workload workload, JobLedger ledger) {
        this.stack = stack;
        this.workload = workload;
        this.ledger = ledger;
    }

    /**
     * Every processor instance killed {@code kills} times (a lane per processor kind), and one lane with an
     * ingest instance killed once, the broker killed {@code brokerKills} times and one of each outage; each lane's
     * moments seeded in [10 s, duration). {@code --only} leaves out the rest; a lane left empty is dropped.
     */
    static List<Lane> plan(Stack stack, ChaosOptions options, Instant start, Random random) {
        List<Lane> lanes = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            if (kind.processor()) {
                List<Fault> kills = new ArrayList<>();
                for (Instance instance : stack.of(kind)) {
                    for (int i = 0; i < options.kills(); i++) {
                        kills.add(new Fault.KillInstance(instance));
                    }
                }
                lanes.add(lane(kind.module, kills, options, start, random));
            }
        }
        List<Fault> infrastructure = new ArrayList<>();
        infrastructure.add(new Fault.KillInstance(stack.of(ServiceKind.INGEST).getFirst()));
        for (int i = 0; i < options.brokerKills(); i++) {
            infrastructure.add(new Fault.KillBroker());
        }
        infrastructure.addAll(List.of(
                new Fault.StopPostgres(options.outage()),
                new Fault.StopRedis(options.outage()),
                new Fault.OpenAiOutage(options.outage())));
        lanes.add(lane("infrastructure", infrastructure, options, start, random));
        return lanes.stream().filter(lane -> !lane.faults().isEmpty()).toList();
    }

    private static Lane lane(String name, List<Fault> planned, ChaosOptions options, Instant start, Random random) {
        List<Fault> faults = new ArrayList<>(planned.stream().filter(options::includes).toList());
        Collections.shuffle(faults, random);
        return new Lane(name, List.copyOf(faults), moments(faults.size(), start, options.duration(), random));
    }

    /** Seeded moments in [10 s, duration) after {@code start}, one per fault, in order. */
    static List<Instant> moments(int count, Instant start, Duration duration, Random random) {
        long span = Math.max(1, duration.minus(FIRST_FAULT).toMillis());
        List<Instant> moments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            moments.add(start.plus(FIRST_FAULT).plusMillis((long) (random.nextDouble() * span)));
        }
        Collections.sort(moments);
        return moments;
    }

    /** Runs every lane side by side; the results of all of them, in the order the faults started. */
    List<FaultResult> run(List<Lane> lanes) throws InterruptedException {
        List<FaultResult> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            threads.add(Thread.ofPlatform().name("faults-" + lane.name()).start(() -> results.addAll(run(lane))));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<FaultResult> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparing(FaultResult::start));
        return ordered;
    }

    private List<FaultResult> run(Lane lane) {
        List<FaultResult> results = new ArrayList<>();
        for (int i = 0; i < lane.faults().size(); i++) {
            Fault fault = lane.faults().get(i);
            waitUntil(lane.moments().get(i));
            log.info("fault {}/{} of {}: {}", i + 1, lane.faults().size(), lane.name(), fault.name());
            Instant start = Instant.now();
            fault.inject(stack);
            Instant end = Instant.now();
            // Probes go in at once: a killed instance's jobs are the surviving instance's to serve meanwhile.
            List<Submitted> probes = new ArrayList<>();
            Instant served = probe(fault, probes) ? awaitServed(fault, probes) : null;
            Restart restart = fault.restarted() == null ? null : awaitRunning(fault.restarted());
            FaultResult result = new FaultResult(fault.name(), start, end, fault.restarted() != null, served, restart,
                    probes);
            log.info("fault {}: down {} ms, served again {}, recovered {}", fault.name(), result.down().toMillis(),
                    served == null ? "NOT within " + RECOVERY_LIMIT : "after " + result.servedAgain().toMillis() + " ms",
                    result.recovery() == null ? "NOT within " + RECOVERY_LIMIT : "after " + result.recovery().toMillis() + " ms");
            results.add(result);
        }
        return results;
    }

    /** When the restarted instance's Kafka Streams application reports RUNNING again; null if not in time. */
    private static Restart awaitRunning(Instance instance) {
        try {
            Await.until(RECOVERY_LIMIT, instance.name() + " running again", instance::running);
            return new Restart(Instant.now(), instance.cpuTime(), loadAverage());
        } catch (AssertionError notRunning) {
            return null;
        }
    }

    /** The machine's 1-minute load average (threads wanting a CPU); null where the system does not tell it. */
    private static Double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : load;
    }

    /** Submits the fault's probe jobs, each again until the stack acknowledges it; false if one never is. */
    private boolean probe(Fault fault, List<Submitted> probes) {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        for (JobKind kind : fault.probes()) {
            List<Submitted> acknowledged = workload.probe(kind);
            while (acknowledged.isEmpty() && System.nanoTime() - deadline < 0) {
                acknowledged = workload.probe(kind);
            }
            if (acknowledged.isEmpty()) {
                log.error("not recovered from {}: no {} probe acknowledged within {}", fault.name(), kind, RECOVERY_LIMIT);
                return false;
            }
            probes.addAll(acknowledged);
        }
        return true;
    }

    /**
     * When the fault's probes have finished: after an outage, a job of every kind it touched; after a kill, jobs
     * of the killed instance's kind, enough of them that some land on the partitions it held.
     */
    private Instant awaitServed(Fault fault, List<Submitted> probes) {
        try {
            Await.until(RECOVERY_LIMIT, "jobs served again after " + fault.name(), () ->
                    ledger.allFinished(probes.stream().map(Submitted::jobId).toList()));
            return Instant.now();
        } catch (AssertionError notServed) {
            log.error("not recovered from {}: probes {} unfinished", fault.name(), probes.stream().map(Submitted::jobId).toList());
            return null;
        }
    }

    private static void waitUntil(Instant moment) {
        Duration wait = Duration.between(Instant.now(), moment);
        if (!wait.isNegative()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
