package io.jobstream.core.scheduler;

import java.time.Instant;
import java.util.Optional;

/** A tick every {@code millis}, on the multiples of it counted from {@code originMillis} (the start date, else the epoch), as BullMQ aligns them. */
public record EverySchedule(long millis, long originMillis) implements Recurrence {

    public EverySchedule {
        if (millis <= 0) {
            throw new IllegalArgumentException("every must be positive, got " + millis);
        }
    }

    @Override
    public Optional<Instant> next(Instant after) {
        long ticks = Math.floorDiv(after.toEpochMilli() - originMillis, millis) + 1;
        return Optional.of(Instant.ofEpochMilli(originMillis + ticks * millis));
    }
}
