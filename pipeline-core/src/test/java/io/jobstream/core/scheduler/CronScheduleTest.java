package io.jobstream.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void fiveFieldsRunAtSecondZeroOfTheMinute() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", ZoneId.of("UTC"));

        assertThat(hourly.next(Instant.parse("2026-05-01T10:15:30Z"))).contains(Instant.parse("2026-05-01T11:00:00Z"));
        assertThat(hourly.next(Instant.parse("2026-05-01T11:00:00Z"))).contains(Instant.parse("2026-05-01T12:00:00Z"));
    }

    @Test
    void sixFieldsStartWithTheSecond() {
        CronSchedule everyTenSeconds = CronSchedule.parse("*/10 * * * * *", ZoneId.of("UTC"));

        assertThat(everyTenSeconds.next(Instant.parse("2026-05-01T10:15:31Z"))).contains(Instant.parse("2026-05-01T10:15:40Z"));
    }

    @Test
    void runsInItsTimeZone() {
        CronSchedule nineAm = CronSchedule.parse("0 9 * * *", NEW_YORK);

        // 09:00 EDT is 13:00 UTC.
        assertThat(nineAm.next(Instant.parse("2026-05-01T00:00:00Z"))).contains(Instant.parse("2026-05-01T13:00:00Z"));
    }

    @Test
    void aTimeSkippedBySpringForwardFiresOnceThatDay() {
        // 2026-03-08: New York's clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist.
        List<ZonedDateTime> runs = runs(CronSchedule.parse("30 2 * * *", NEW_YORK),
                ZonedDateTime.of(2026, 3, 7, 12, 0, 0, 0, NEW_YORK), 3);

        // When the clocks jump, as java.time resolves a local time in the gap.
        assertThat(runs.get(0).toInstant()).isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(runs.get(0).toLocalDateTime()).hasToString("2026-03-08T03:30");
        assertThat(runs.get(1)).isEqualTo(ZonedDateTime.of(2026, 3, 9, 2, 30, 0, 0, NEW_YORK));
        assertThat(runs.get(2)).isEqualTo(ZonedDateTime.of(2026, 3, 10, 2, 30, 0, 0, NEW_YORK));
    }

    @Test
    void aTimeRepeatedByFallBackFiresOnce() {
        // 2026-11-01: New York's clocks fall back from 02:00 EDT to 01:00 EST; 01:00 happens twice.
        List<ZonedDateTime> runs = runs(CronSchedule.parse("0 1 * * *", NEW_YORK),
                ZonedDateTime.of(2026, 10, 31, 12, 0, 0, 0, NEW_YORK), 3);

        assertThat(runs).extracting(run -> run.toLocalDate().toString())
                .containsExactly("2026-11-01", "2026-11-02", "2026-11-03");
        assertThat(runs.get(0).toInstant()).isEqualTo(Instant.parse("2026-11-01T05:00:00Z"));
    }

    @Test
    void anHourlyPatternSkipsNoInstantAndRepeatsNoWallClockHourAcrossFallBack() {
        List<ZonedDateTime> runs = runs(CronSchedule.parse("0 * * * *", NEW_YORK),
                ZonedDateTime.of(2026, 11, 1, 0, 30, 0, 0, NEW_YORK), 3);

        // 01:00 EDT, then 02:00 EST two hours later: 01:00 EST would be 01:00 a second time.
        assertThat(runs).extracting(ZonedDateTime::toInstant).containsExactly(
                Instant.parse("2026-11-01T05:00:00Z"), Instant.parse("2026-11-01T07:00:00Z"), Instant.parse("2026-11-01T08:00:00Z"));
    }

    @Test
    void startingInsideTheRepeatedHourStillMovesForward() {
        // 01:30 EST, the second 01:30 of the night.
        Instant secondPass = Instant.parse("2026-11-01T06:30:00Z");

        assertThat(CronSchedule.parse("*/15 * * * *", NEW_YORK).next(secondPass)).contains(Instant.parse("2026-11-01T06:45:00Z"));
    }

    @Test
    void refusesOtherFieldCounts() {
        assertThatThrownBy(() -> CronSchedule.parse("* * * *", NEW_YORK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("0 0 0 * * * *", NEW_YORK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", NEW_YORK)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<ZonedDateTime> runs(CronSchedule cron, ZonedDateTime from, int count) {
        List<ZonedDateTime> runs = new ArrayList<>();
        Instant after = from.toInstant();
        for (int i = 0; i < count; i++) {
            after = cron.next(after).orElseThrow();
            runs.add(after.atZone(NEW_YORK));
        }
        return runs;
    }
}
