package io.jobstream.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class CaughtUpCommitsTest {

    private static final long INTERVAL = 20;

    private final CaughtUpCommits.Pacing thread = new CaughtUpCommits.Pacing();

    @Test
    void aCaughtUpWorkerCommitsItsOutcomesAtOnceAndThenAtMostOncePerInterval() {
        CaughtUpCommits commits = new CaughtUpCommits(INTERVAL);
        commits.taken(1_000, 3);
        commits.forwarded();
        assertThat(commits.due(1_000, true, thread)).isTrue();

        commits.forwarded();
        assertThat(commits.due(1_000 + INTERVAL - 1, true, thread)).as("within the interval").isFalse();
        assertThat(commits.due(1_000 + INTERVAL, true, thread)).isTrue();
    }

    @Test
    void nothingForwardedNothingToCommit() {
        CaughtUpCommits commits = new CaughtUpCommits(INTERVAL);
        commits.taken(1_000, 0);
        assertThat(commits.due(1_000, true, thread)).isFalse();
    }

    @Test
    void aWorkerBehindLeavesCommitsToTheCommitInterval() {
        CaughtUpCommits commits = new CaughtUpCommits(INTERVAL);
        commits.taken(1_000, INTERVAL + 1);
        commits.forwarded();
        assertThat(commits.due(1_000, true, thread)).as("the job it took had waited longer than the interval").isFalse();

        commits.taken(1_001, INTERVAL);
        assertThat(commits.due(1_001, true, thread)).as("caught up again").isTrue();
    }

    @Test
    void aWorkerThatTookTheLastOfABacklogIsCaughtUpOnceNothingMoreComes() {
        CaughtUpCommits commits = new CaughtUpCommits(INTERVAL);
        commits.taken(1_000, 5_000);
        commits.forwarded();
        assertThat(commits.due(1_000 + INTERVAL - 1, true, thread)).isFalse();
        assertThat(commits.due(1_000 + INTERVAL, true, thread)).isTrue();
    }

    @Test
    void jobsWaitingForASlotMeanTheWorkerIsBusy() {
        CaughtUpCommits commits = new CaughtUpCommits(INTERVAL);
        commits.forwarded();
        assertThat(commits.due(1_000, false, thread)).isFalse();
        assertThat(commits.due(1_000, true, thread)).isTrue();
    }

    @Test
    void theTasksOfOneStreamThreadShareThePace() {
        CaughtUpCommits first = new CaughtUpCommits(INTERVAL);
        CaughtUpCommits second = new CaughtUpCommits(INTERVAL);
        first.forwarded();
        second.forwarded();
        assertThat(first.due(1_000, true, thread)).isTrue();
        assertThat(second.due(1_005, true, thread)).as("the first task's commit was the thread's").isFalse();
        assertThat(second.due(1_000 + INTERVAL, true, thread)).isTrue();
    }

    @Test
    void offUnlessTheApplicationWasConfiguredByJobstream() {
        CaughtUpCommits unconfigured = CaughtUpCommits.of(Map.of());
        unconfigured.forwarded();
        assertThat(unconfigured.due(1_000, true, thread)).isFalse();

        CaughtUpCommits configured = CaughtUpCommits.of(StreamsConfigs.of(new StreamsProperties("localhost:9092", "app", "",
                Path.of("data"), 0, StreamsProperties.DEFAULT_COMMIT_INTERVAL, 1, Duration.ofSeconds(10))
                .withCaughtUpCommitInterval(Duration.ofMillis(INTERVAL)))
                .entrySet().stream().collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue)));
        configured.forwarded();
        assertThat(configured.due(1_000, true, thread)).isTrue();
    }
}
