package io.jobstream.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobState;
import io.jobstream.topics.TopicCatalog;

class TallyTest {

    private static final Instant T0 = Instant.parse("2026-12-06T06:00:00Z");

    @Test
    void aCleanRunCountsZeroEverywhere() {
        Tally tally = Tally.count(
                List.of(job("chat-1", JobKind.CHAT), job("reminder-dispatch:r-1", JobKind.REMINDER)),
                Map.of("chat-1", completedOnce(), "reminder-dispatch:r-1", completedOnce()),
                outputs(Map.of("chat-1", 1)), Map.of("r-1", 1), 0, Map.of("rows", 0L));

        assertThat(tally.checks).allSatisfy(check -> assertThat(check.count()).as(check.what()).isZero());
        assertThat(tally.passed()).isTrue();
        assertThat(tally.kinds.get(JobKind.CHAT))
                .isEqualTo(new Tally.KindCounts(1, 1, 0, Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }

    @Test
    void aKindsCompletedJobsTellHowLongTheyTookFromTheirAcknowledgement() {
        List<Submitted> chats = new ArrayList<>();
        Map<String, List<JobLedger.Event>> events = new HashMap<>();
        for (int second = 1; second <= 20; second++) {
            String id = "chat-" + second;
            chats.add(job(id, JobKind.CHAT));
            events.put(id, List.of(event(JobState.QUEUED, 1, 0), event(JobState.COMPLETED, 1, second)));
        }
        chats.add(job("chat-lost", JobKind.CHAT));

        Tally.KindCounts counts = Tally.count(chats, events, outputs(Map.of()), Map.of(), 0, Map.of()).kinds.get(JobKind.CHAT);

        assertThat(counts.submitted()).isEqualTo(21);
        assertThat(counts.completed()).isEqualTo(20);
        assertThat(counts.p50()).isEqualTo(Duration.ofSeconds(10));
        assertThat(counts.p95()).isEqualTo(Duration.ofSeconds(19));
    }

    @Test
    void everyLossDoublingAndRepeatIsCountedUnderItsOwnCheck() {
        Tally tally = Tally.count(
                List.of(job("chat-lost", JobKind.CHAT), job("chat-stuck", JobKind.CHAT), job("chat-doubled", JobKind.CHAT),
                        job("chat-dead", JobKind.CHAT), job("chat-no-output", JobKind.CHAT),
                        job("chaos-tick:1000", JobKind.TICK), job("reminder-dispatch:r-twice", JobKind.REMINDER),
                        job("reminder-dispatch:r-never", JobKind.REMINDER)),
                Map.of("chat-stuck", List.of(event(JobState.QUEUED, 1, 0), event(JobState.ACTIVE, 1, 1)),
                        "chat-doubled", completedOnce(),
                        "chat-dead", List.of(event(JobState.ACTIVE, 1, 0), new JobLedger.Event(JobState.DEAD_LETTERED, 0, 1,
                                T0.plusSeconds(1), "boom", T0, null), event(JobState.REMOVED, 1, 2)),
                        "chat-no-output", completedOnce(),
                        "chaos-tick:1000", List.of(event(JobState.QUEUED, 1, 0), event(JobState.QUEUED, 1, 1),
                                event(JobState.COMPLETED, 1, 2)),
                        "reminder-dispatch:r-twice", completedOnce(),
                        "reminder-dispatch:r-never", completedOnce()),
                Map.of(TopicCatalog.CHAT_RESPONSES, Map.of("chat-doubled", 2),
                        TopicCatalog.EMBEDDINGS_STORED, Map.of("chaos-tick:1000", 1),
                        TopicCatalog.DOCUMENTS_INGESTED, Map.of()),
                Map.of("r-twice", 2), 3, Map.of("completed documents without their documents row", 1L));

        assertThat(counts(tally)).containsExactly(
                Map.entry("lost (not finished)", 1),
                Map.entry("stuck active", 1),
                Map.entry("dead-lettered or failed (no permanent fault in this run)", 1),
                Map.entry("completed without its output", 1),
                Map.entry("outputs doubled (more than one record per job id and run)", 1),
                Map.entry("scheduler ticks fired twice", 1),
                Map.entry("reminders completed but never received", 1),
                Map.entry("reminders received twice", 1),
                Map.entry("jobs the queues still count as active", 1),
                Map.entry("completed documents without their documents row", 1));
        assertThat(tally.checks.get(2).offenders()).containsExactly("chat-dead (DEAD_LETTERED: boom)");
        assertThat(tally.passed()).isFalse();
    }

    @Test
    void aJobIdSubmittedAgainAfterItsRunFinishedMayHaveAnOutputPerRun() {
        List<JobLedger.Event> twoRuns = List.of(event(JobState.QUEUED, 1, 0), event(JobState.COMPLETED, 1, 1),
                event(JobState.QUEUED, 1, 2), event(JobState.COMPLETED, 1, 3));

        Tally twice = Tally.count(List.of(job("chat-again", JobKind.CHAT)), Map.of("chat-again", twoRuns),
                outputs(Map.of("chat-again", 2)), Map.of(), 0, Map.of());
        Tally thrice = Tally.count(List.of(job("chat-again", JobKind.CHAT)), Map.of("chat-again", twoRuns),
                outputs(Map.of("chat-again", 3)), Map.of(), 0, Map.of());

        assertThat(twice.passed()).isTrue();
        assertThat(thrice.checks.get(4).offenders()).containsExactly("chat-again (3 on agent.chat.responses for 2 run(s))");
    }

    @Test
    void aSecondActiveOfOneAttemptIsARerunAndRetriesAreCountedInTheirWindow() {
        Tally tally = Tally.count(List.of(job("doc-1", JobKind.DOCUMENT)), Map.of("doc-1", List.of(
                        event(JobState.ACTIVE, 1, 0), event(JobState.ACTIVE, 1, 10), event(JobState.RETRY_SCHEDULED, 1, 20),
                        event(JobState.ACTIVE, 2, 30), event(JobState.COMPLETED, 2, 40))),
                outputs(Map.of()), Map.of(), 0, Map.of());

        assertThat(tally.retries).isEqualTo(1);
        assertThat(tally.reruns).isEqualTo(1);
        assertThat(tally.retriesAndReruns(T0.plusSeconds(5), T0.plusSeconds(15))).containsExactly(0, 1);
        assertThat(tally.retriesAndReruns(T0.plusSeconds(15), T0.plusSeconds(45))).containsExactly(1, 0);
    }

    @Test
    void anOutcomeTellingItsStartIsAStartOfItsAttempt() {
        // Attempt 1 was announced, then its worker crashed; run again, it ended before it was announced.
        JobLedger.Event rerunCompleted = new JobLedger.Event(JobState.COMPLETED, 0, 1, T0.plusSeconds(12), null, T0,
                T0.plusSeconds(10));
        Tally tally = Tally.count(List.of(job("chat-1", JobKind.CHAT)), Map.of("chat-1", List.of(
                        event(JobState.QUEUED, 1, 0), event(JobState.ACTIVE, 1, 1), rerunCompleted)),
                outputs(Map.of("chat-1", 1)), Map.of(), 0, Map.of());

        assertThat(tally.reruns).isEqualTo(1);
        assertThat(tally.retriesAndReruns(T0.plusSeconds(5), T0.plusSeconds(10))).as("counted when it started").containsExactly(0, 1);
        assertThat(tally.retriesAndReruns(T0.plusSeconds(11), T0.plusSeconds(15))).containsExactly(0, 0);
    }

    private static Map<String, Integer> counts(Tally tally) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        tally.checks.forEach(check -> counts.put(check.what(), check.count()));
        return counts;
    }

    private static Map<String, Map<String, Integer>> outputs(Map<String, Integer> chat) {
        return Map.of(TopicCatalog.CHAT_RESPONSES, chat, TopicCatalog.EMBEDDINGS_STORED, Map.of(),
                TopicCatalog.DOCUMENTS_INGESTED, Map.of());
    }

    private static Submitted job(String id, JobKind kind) {
        return new Submitted(id, kind, T0);
    }

    private static List<JobLedger.Event> completedOnce() {
        return List.of(event(JobState.QUEUED, 1, 0), event(JobState.ACTIVE, 1, 1), event(JobState.COMPLETED, 1, 2));
    }

    private static JobLedger.Event event(JobState state, int attempt, int second) {
        return new JobLedger.Event(state, 0, attempt, T0.plusSeconds(second), null, T0, null);
    }
}
