package io.jobstream.core.scheduler;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.jobstream.events.Schedule;

/**
 * A scheduler as its store keeps it: the definition and where it stands.
 *
 * @param nextRun the tick it fires next; null when it is done (limit reached, end date passed)
 * @param lastRun the last tick it fired; null before the first
 * @param count   jobs it has added, over every definition of its id
 */
public record JobScheduler(Schedule definition, Instant nextRun, Instant lastRun, long count) {

    public JobScheduler {
        Objects.requireNonNull(definition, "definition");
    }

    public String id() {
        return definition.getSchedulerId();
    }

    /**
     * A new definition, taking effect from its first tick after now (and after the last tick fired,
     * so an upsert never repeats one). Where the previous one stood is kept.
     *
     * @throws IllegalArgumentException when the definition cannot produce ticks (see {@link Recurrence#of})
     */
    public static JobScheduler upserted(Schedule definition, JobScheduler previous, Instant now) {
        Recurrence recurrence = Recurrence.of(definition);
        Instant lastRun = previous == null ? null : previous.lastRun;
        long count = previous == null ? 0 : previous.count;
        Instant after = lastRun != null && lastRun.isAfter(now.minusMillis(1)) ? lastRun : now.minusMillis(1);
        return new JobScheduler(definition, nextRun(definition, recurrence, count, after), lastRun, count);
    }

    public boolean isDue(Instant now) {
        return nextRun != null && !nextRun.isAfter(now);
    }

    /**
     * After firing its next tick at {@code now}. The following tick is the first after now, not
     * after the tick fired: ticks missed while nothing ran are not caught up one by one.
     */
    public JobScheduler fired(Instant now) {
        long fired = count + 1;
        Instant after = now.isAfter(nextRun) ? now : nextRun;
        return new JobScheduler(definition, nextRun(definition, Recurrence.of(definition), fired, after), nextRun, fired);
    }

    private static Instant nextRun(Schedule definition, Recurrence recurrence, long count, Instant after) {
        if (definition.getLimit() != null && count >= definition.getLimit()) {
            return null;
        }
        Instant start = definition.getStartDate();
        Instant from = start != null && start.isAfter(after) ? start.minusMillis(1) : after;
        Optional<Instant> next = recurrence.next(from);
        Instant end = definition.getEndDate();
        return next.filter(tick -> end == null || !tick.isAfter(end)).orElse(null);
    }
}
