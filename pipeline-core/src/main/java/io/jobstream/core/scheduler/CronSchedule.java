package io.jobstream.core.scheduler;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.springframework.scheduling.support.CronExpression;

/**
 * A cron pattern in a time zone. Five fields (Unix cron, minute first) run at second 0; six fields
 * start with the second, as Spring's {@link CronExpression}. The pattern matches wall-clock times,
 * so each fires once a day even when clocks change: a time that spring-forward skips runs when the
 * clocks jump (02:30 → 03:30), a time that fall-back repeats runs at its first occurrence only.
 */
public record CronSchedule(CronExpression expression, ZoneId zone) implements Recurrence {

    /** @throws IllegalArgumentException when the pattern has not 5 or 6 fields or does not parse */
    public static CronSchedule parse(String pattern, ZoneId zone) {
        int fields = pattern.trim().split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException("a cron pattern has 5 or 6 fields, got " + fields + " in '" + pattern + "'");
        }
        return new CronSchedule(CronExpression.parse(fields == 5 ? "0 " + pattern.trim() : pattern.trim()), zone);
    }

    @Override
    public Optional<Instant> next(Instant after) {
        LocalDateTime local = LocalDateTime.ofInstant(after, zone);
        while ((local = expression.next(local)) != null) {
            // atZone moves a time in the gap forward by the gap, and takes the earlier of a repeated time.
            ZonedDateTime run = local.atZone(zone);
            if (run.toInstant().isAfter(after)) {
                return Optional.of(run.toInstant());
            }
            // Only when after is in the repeated hour's second pass.
            if (run.withLaterOffsetAtOverlap().toInstant().isAfter(after)) {
                return Optional.of(run.withLaterOffsetAtOverlap().toInstant());
            }
        }
        return Optional.empty();
    }
}
