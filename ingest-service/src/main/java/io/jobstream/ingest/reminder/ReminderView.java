package io.jobstream.ingest.reminder;

import java.time.Instant;

import io.jobstream.store.reminder.NotificationSchedule;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A reminder as the API shows it: seed 004's fields, its status and what delivery recorded. */
public record ReminderView(String scheduleId, String jobId, String userId, String channel, Payload payload, Instant sendAt,
                           String occasionId, String triggeredBy, String status, int attempts, Integer receiverStatus,
                           String error, Instant sentAt, Instant createdAt, Instant updatedAt) {

    public record Payload(String title, String body, JsonNode data) {
    }

    static ReminderView of(NotificationSchedule row, JsonMapper json) {
        return new ReminderView(row.scheduleId(), row.jobId(), row.userId(), row.channel().name(),
                new Payload(row.title(), row.body(), json.readTree(row.dataJson())), row.sendAt(), row.occasionId(),
                row.triggeredBy(), row.status().name(), row.attempts(), row.receiverStatus(), row.error(), row.sentAt(),
                row.createdAt(), row.updatedAt());
    }
}
