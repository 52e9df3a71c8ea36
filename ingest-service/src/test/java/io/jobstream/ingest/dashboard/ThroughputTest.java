package io.jobstream.ingest.dashboard;

import static io.jobstream.ingest.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobState;

class ThroughputTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:30:20Z");
    private final Throughput throughput = new Throughput(null, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void countsCompletedAndFailedJobsPerMinuteAndQueueOverTheLastHour() {
        record(JobState.COMPLETED, "thumbnails", NOW.minusSeconds(5));
        record(JobState.COMPLETED, "thumbnails", NOW.minusSeconds(10));
        record(JobState.DEAD_LETTERED, "thumbnails", NOW.minusSeconds(60));
        record(JobState.FAILED, "embedding", NOW.minusSeconds(15));
        record(JobState.ACTIVE, "thumbnails", NOW.minusSeconds(15));
        record(JobState.COMPLETED, "thumbnails", NOW.minusSeconds(3_700));

        List<Throughput.Minute> thumbnails = throughput.lastHour("thumbnails");
        List<Throughput.Minute> all = throughput.lastHour(null);

        assertThat(thumbnails).hasSize(Throughput.MINUTES);
        assertThat(thumbnails.getLast()).isEqualTo(new Throughput.Minute(Instant.parse("2026-12-06T10:30:00Z"), 2, 0));
        assertThat(thumbnails.get(Throughput.MINUTES - 2)).isEqualTo(new Throughput.Minute(Instant.parse("2026-12-06T10:29:00Z"), 0, 1));
        assertThat(all.getLast()).isEqualTo(new Throughput.Minute(Instant.parse("2026-12-06T10:30:00Z"), 2, 1));
        assertThat(all.stream().mapToLong(Throughput.Minute::completed).sum()).as("older than an hour is gone").isEqualTo(2);
    }

    private void record(JobState state, String queue, Instant at) {
        throughput.record(event("job-" + at.toEpochMilli(), queue, state, at.minusSeconds(1), at).build());
    }
}
