package io.jobstream.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.test.Await;

/**
 * Runs the faults one after the other at seeded random moments of the run (a fault due while the previous
 * one is still recovering waits for it), and measures each one's recovery.
 */
final class FaultRunner {

    private static final Logger log = LoggerFactory.getLogger(FaultRunner.class);
    private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(5);
    private static final Duration FIRST_FAULT = Duration.ofSeconds(10);

    private final Stack stack;
    private final Workload workload;
    private final JobLedger ledger;

    FaultRunner(Stack stack, Workload workload, JobLedger ledger) {
        this.stack = stack;
        this.workload = workload;
        this.ledger = ledger;
    }

    /** Every processor instance killed {@code kills} times, one ingest instance once, and one of each outage. */
    static List<Fault> plan(Stack stack, ChaosOptions options, Random random) {
        List<Fault> faults = new ArrayList<>();
        for (Instance instance : stack.instances) {
            if (instance.kind().processor()) {
                for (int i = 0; i < options.kills(); i++) {
                    faults.add(new Fault.KillInstance(instance));
                }
            }
        }
        faults.add(new Fault.KillInstance(stack.of(ServiceKind.INGEST).getFirst()));
        faults.add(new Fault.KillBroker());
        faults.add(new Fault.StopPostgres(options.outage()));
        faults.add(new Fault.StopRedis(options.outage()));
        faults.add(new Fault.OpenAiOutage(options.outage()));
        Collections.shuffle(faults, random);
        return faults;
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

    List<FaultResult> run(List<Fault> faults, List<Instant> moments) {
        List<FaultResult> results = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault fault = faults.get(i);
            waitUntil(moments.get(i));
            log.info("fault {}/{}: {}", i + 1, faults.size(), fault.name());
            Instant start = Instant.now();
            fault.inject(stack);
            Instant end = Instant.now();
            List<Submitted> probes = new ArrayList<>();
            Instant recovered = probe(fault, probes) ? awaitRecovery(fault, probes) : null;
            FaultResult result = new FaultResult(fault.name(), start, end, recovered, probes);
            log.info("fault {}: down {} ms, recovered {}", fault.name(), result.down().toMillis(),
                    recovered == null ? "NOT within " + RECOVERY_LIMIT : "after " + result.recovery().toMillis() + " ms");
            results.add(result);
        }
        return results;
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

    private Instant awaitRecovery(Fault fault, List<Submitted> probes) {
        try {
            Await.until(RECOVERY_LIMIT, "recovery from " + fault.name(), () ->
                    ledger.allFinished(probes.stream().map(Submitted::jobId).toList())
                            && stack.instances.stream().allMatch(Instance::running));
            return Instant.now();
        } catch (AssertionError notRecovered) {
            log.error("not recovered from {}: instances {}, probes {}", fault.name(),
                    stack.instances.stream().map(instance -> instance.name() + "=" + instance.streamsState()).toList(),
                    probes.stream().map(Submitted::jobId).toList());
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
