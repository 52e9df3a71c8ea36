package io.jobstream.dispatch.reminder;

import java.time.Instant;

import io.jobstream.store.reminder.Channel;
import tools.jackson.databind.JsonNode;

/** What a receiver gets: the reminder as seed 004 queues it, read from its notification schedule. */
public record ReminderMessage(String scheduleId, String userId, Channel channel, Payload payload, Instant sendAt,
                              String occasionId, String triggeredBy) {

    public record Payload(String title, String body, JsonNode data) {
    }
}
