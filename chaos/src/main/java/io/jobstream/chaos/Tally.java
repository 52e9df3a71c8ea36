package io.jobstream.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jobstream.events.JobState;
import io.jobstream.events.JobStates;

/**
 * The run's verdict, by counting: every acknowledged job against what {@code jobs.events}, the output topics,
 * the database and the reminder receiver recorded. Each {@link Check} must count zero.
 */
final class Tally {

    /** A count that must be zero, with the first offending ids. */
    record Check(String what, List<String> offenders) {

        int count() {
            return offenders.size();
        }
    }

    /**
     * Per kind of job: how many were acknowledged, completed and failed for good, and how long the completed ones
     * took from their acknowledgement (the median and the 95th percentile; null with none completed).
     */
    record KindCounts(int submitted, int completed, int failed, Duration p50, Duration p95) {

        static KindCounts of(int submitted, int failed, List<Duration> completedIn) {
            List<Duration> sorted = completedIn.stream().sorted().toList();
            return new KindCounts(submitted, sorted.size(), failed, percentile(sorted, 50), percentile(sorted, 95));
        }

        /** The nearest-rank percentile of sorted durations; null of none. */
        private static Duration percentile(List<Duration> sorted, int percent) {
            if (sorted.isEmpty()) {
                return null;
            }
            return sorted.get(Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
        }
    }

    final List<Check> checks = new ArrayList<>();
    final Map<JobKind, KindCounts> kinds = new EnumMap<>(JobKind.class);
    int retries;
    int reruns;

    private final Map<String, List<JobLedger.Event>> jobs;

    private Tally(Map<String, List<JobLedger.Event>> jobs) {
        this.jobs = jobs;
    }

    /**
     * @param submitted   acknowledged jobs, the scheduler's ticks included
     * @param jobs        every job's events
     * @param outputs     records per job id, per output topic
     * @param deliveries  reminder deliveries per schedule id
     * @param activeNow   jobs the queues count as active after the drain
     * @param rows        database rows per check name: documents and post vectors of completed jobs, found
     */
    static Tally count(List<Submitted> submitted, Map<String, List<JobLedger.Event>> jobs,
                       Map<String, Map<String, Integer>> outputs, Map<String, Integer> deliveries, long activeNow,
                       Map<String, Long> rows) {
        Tally tally = new Tally(jobs);
        List<String> lost = new ArrayList<>();
        List<String> stuck = new ArrayList<>();
        List<String> deadLettered = new ArrayList<>();
        List<String> missingOutput = new ArrayList<>();
        List<String> doubled = new ArrayList<>();
        List<String> ticksTwice = new ArrayList<>();
        List<String> remindersMissing = new ArrayList<>();
        List<String> remindersTwice = new ArrayList<>();
        Map<JobKind, int[]> kinds = new EnumMap<>(JobKind.class);
        Map<JobKind, List<Duration>> completedIn = new EnumMap<>(JobKind.class);
        Set<String> seen = new HashSet<>();
        for (Submitted job : submitted) {
            if (!seen.add(job.jobId())) {
                continue;
            }
            int[] counts = kinds.computeIfAbsent(job.kind(), kind -> new int[2]);
            List<Duration> durations = completedIn.computeIfAbsent(job.kind(), kind -> new ArrayList<>());
            counts[0]++;
            List<JobLedger.Event> events = jobs.getOrDefault(job.jobId(), List.of());
            JobState state = JobLedger.state(events);
            if (state == JobState.ACTIVE || state == JobState.PROGRESS) {
                stuck.add(job.jobId() + " (" + state + ")");
            } else if (state == null || !JobStates.FINISHED.contains(state)) {
                lost.add(job.jobId() + " (" + (state == null ? "no event" : state) + ")");
            } else if (state == JobState.COMPLETED) {
                durations.add(Duration.between(job.at(), JobLedger.finishedAt(events)));
                if (job.kind().outputTopic != null
                        && outputs.get(job.kind().outputTopic).getOrDefault(job.jobId(), 0) == 0) {
                    missingOutput.add(job.jobId() + " (no record on " + job.kind().outputTopic + ")");
                }
            } else {
                counts[1]++;
                deadLettered.add(job.jobId() + " (" + state + ": " + lastError(events) + ")");
            }
            if (job.kind() == JobKind.TICK && events.stream().filter(e -> e.state() == JobState.QUEUED).count() > 1) {
                ticksTwice.add(job.jobId());
            }
            if (job.kind() == JobKind.REMINDER) {
                int delivered = deliveries.getOrDefault(scheduleId(job.jobId()), 0);
                if (delivered == 0 && state == JobState.COMPLETED) {
                    remindersMissing.add(job.jobId());
                } else if (delivered > 1) {
                    remindersTwice.add(job.jobId() + " (" + delivered + " deliveries)");
                }
            }
        }
        // One output per job id and run: a job id submitted again after its run finished is a new run.
        outputs.forEach((topic, perJob) -> perJob.forEach((jobId, records) -> {
            long runs = jobs.getOrDefault(jobId, List.of()).stream().filter(e -> e.state() == JobState.QUEUED).count();
            if (records > Math.max(1, runs)) {
                doubled.add(jobId + " (" + records + " on " + topic + " for " + Math.max(1, runs) + " run(s))");
            }
        }));
        kinds.forEach((kind, counts) -> tally.kinds.put(kind, KindCounts.of(counts[0], counts[1], completedIn.get(kind))));
        tally.check("lost (not finished)", lost);
        tally.check("stuck active", stuck);
        tally.check("dead-lettered or failed (no permanent fault in this run)", deadLettered);
        tally.check("completed without its output", missingOutput);
        tally.check("outputs doubled (more than one record per job id and run)", doubled);
        tally.check("scheduler ticks fired twice", ticksTwice);
        tally.check("reminders completed but never received", remindersMissing);
        tally.check("reminders received twice", remindersTwice);
        tally.check("jobs the queues still count as active", activeNow == 0 ? List.of()
                : List.of(activeNow + " active in GET /api/queues"));
        rows.forEach((what, missing) -> tally.check(what, missing == 0 ? List.of() : List.of(missing + " missing")));
        tally.countRetries(Instant.MIN, Instant.MAX);
        return tally;
    }

    /**
     * RETRY_SCHEDULED events, and attempts run again after a crash (a second start of one attempt: its
     * ACTIVE, or an outcome telling its start), in a window.
     */
    int[] retriesAndReruns(Instant from, Instant to) {
        int retried = 0;
        int rerun = 0;
        for (List<JobLedger.Event> events : jobs.values()) {
            Set<String> started = new HashSet<>();
            for (JobLedger.Event event : events) {
                if (event.state() == JobState.RETRY_SCHEDULED && within(event.at(), from, to)) {
                    retried++;
                }
                Instant start = event.start();
                if (start != null && !started.add(event.stage() + "/" + event.attempt()) && within(start, from, to)) {
                    rerun++;
                }
            }
        }
        return new int[] {retried, rerun};
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && !at.isAfter(to);
    }

    boolean passed() {
        return checks.stream().allMatch(check -> check.count() == 0);
    }

    /** Error messages of dead letters, by how often they occur: what a failed run shows first. */
    Map<String, Integer> deadLetterCauses() {
        Map<String, Integer> causes = new TreeMap<>();
        jobs.values().stream().filter(events -> JobLedger.state(events) == JobState.DEAD_LETTERED)
                .forEach(events -> causes.merge(String.valueOf(lastError(events)), 1, Integer::sum));
        return causes;
    }

    private void countRetries(Instant from, Instant to) {
        int[] counts = retriesAndReruns(from, to);
        retries = counts[0];
        reruns = counts[1];
    }

    private void check(String what, List<String> offenders) {
        checks.add(new Check(what, offenders));
    }

    /** {@code reminder-dispatch:{scheduleId}} → the schedule id the receiver sees as Idempotency-Key. */
    static String scheduleId(String jobId) {
        return jobId.substring(jobId.indexOf(':') + 1);
    }

    private static String lastError(List<JobLedger.Event> events) {
        String error = null;
        for (JobLedger.Event event : events) {
            if (event.error() != null) {
                error = event.error();
            }
        }
        return error;
    }
}
