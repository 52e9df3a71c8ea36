package io.jobstream.dispatch.reminder;

/**
 * Delivers a reminder on its channel. Implementations must send {@link ReminderMessage#scheduleId()}
 * as the idempotency key: delivery is at least once, so a receiver may see a reminder again after a
 * crash between its answer and the SENT row, and must be able to tell.
 */
public interface ReminderSink {

    Delivery deliver(ReminderMessage reminder);
}
