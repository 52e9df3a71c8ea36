package io.jobstream.core.scheduler;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import io.jobstream.events.Schedule;

/** When a scheduler's ticks fall, before its start date, end date and limit are applied. */
public sealed interface Recurrence permits CronSchedule, EverySchedule {

    /** The first tick strictly after {@code after}; empty when there is none. */
    Optional<Instant> next(Instant after);

    /**
     * The definition's pattern or every.
     *
     * @throws IllegalArgumentException when neither or both are set, the pattern does not parse or the zone is unknown
     */
    static Recurrence of(Schedule definition) {
        boolean cron = definition.getPattern() != null;
        if (cron == (definition.getEvery() != null)) {
            throw new IllegalArgumentException("exactly one of pattern and every must be set");
        }
        if (cron) {
            return CronSchedule.parse(definition.getPattern(), ZoneId.of(definition.getTimezone()));
        }
        Instant start = definition.getStartDate();
        return new EverySchedule(definition.getEvery(), start == null ? 0 : start.toEpochMilli());
    }
}
