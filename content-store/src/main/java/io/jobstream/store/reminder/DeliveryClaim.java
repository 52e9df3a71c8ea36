package io.jobstream.store.reminder;

import java.time.Instant;

/** What {@link NotificationSchedules#claimDelivery} found: whether this worker may send the reminder now. */
public sealed interface DeliveryClaim {

    /** This worker holds the reminder until it records the outcome (or the hold lapses): send it. */
    record Claimed(NotificationSchedule schedule) implements DeliveryClaim {
    }

    /** Another worker is delivering it until {@code until}: send nothing now, look again then. */
    record Held(Instant until) implements DeliveryClaim {
    }

    /** SENT, CANCELLED or FAILED already: nothing is ever sent again. */
    record Settled(ReminderStatus status) implements DeliveryClaim {
    }

    /** No row with this schedule id (yet). */
    record Missing() implements DeliveryClaim {
    }
}
