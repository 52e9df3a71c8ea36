package io.jobstream.store.reminder;

import java.time.Instant;

/**
 * A reminder as stored in {@code notification_schedules}.
 *
 * @param dataJson       the payload's {@code data} object as JSON
 * @param attempts       delivery attempts made so far
 * @param receiverStatus the receiver's HTTP status of the last attempt; null before any
 */
public record NotificationSchedule(String scheduleId, String userId, Channel channel, String title, String body,
                                   String dataJson, Instant sendAt, String occasionId, String triggeredBy, String jobId,
                                   ReminderStatus status, int attempts, Integer receiverStatus, String error,
                                   Instant sentAt, Instant createdAt, Instant updatedAt) {

    /** What a new reminder holds before it has a status. */
    public record NewReminder(String scheduleId, String userId, Channel channel, String title, String body,
                              String dataJson, Instant sendAt, String occasionId, String triggeredBy, String jobId) {
    }
}
