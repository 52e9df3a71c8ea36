package io.jobstream.ingest.reminder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.springframework.http.HttpStatus;

import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.api.RejectedRequestException;
import io.jobstream.ingest.submit.JobIds;
import io.jobstream.store.reminder.Channel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Seed 004's {@code enqueueReminderDispatch(scheduleId, userId, channel, {title, body, data}, sendAt,
 * {occasionId, triggeredBy})} as JSON, read strictly: every error names its field.
 */
record ReminderRequest(String scheduleId, String userId, Channel channel, String title, String body, JsonNode data,
                       Instant sendAt, String occasionId, String triggeredBy) {

    static final String JOB_ID_PREFIX = "reminder-dispatch:";
    private static final int MAX_ID = JobIds.MAX_LENGTH - JOB_ID_PREFIX.length();
    private static final int MAX_TITLE = 500;
    private static final int MAX_BODY = 10_000;
    private static final int MAX_TEXT = 200;

    static ReminderRequest read(JsonNode json, long maxDataSize) {
        JsonFields fields = JsonFields.of(json);
        String scheduleId = fields.requiredText("scheduleId", MAX_ID);
        JobIds.problem(scheduleId).ifPresent(reason -> {
            throw new BadRequestException("scheduleId", reason);
        });
        String userId = fields.requiredText("userId", MAX_TEXT);
        String channelName = fields.requiredText("channel", MAX_TEXT);
        Channel channel;
        try {
            channel = Channel.valueOf(channelName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("channel", "must be one of PUSH, EMAIL, SMS, WEBHOOK, got " + channelName);
        }
        JsonNode payload = json.get("payload");
        if (payload == null || payload.isNull()) {
            throw new BadRequestException("payload", "is required");
        }
        JsonFields payloadFields;
        try {
            payloadFields = JsonFields.of(payload);
        } catch (BadRequestException e) {
            throw new BadRequestException("payload", "must be a JSON object");
        }
        String title;
        String body;
        try {
            title = payloadFields.requiredText("title", MAX_TITLE);
            body = payloadFields.requiredText("body", MAX_BODY);
        } catch (BadRequestException e) {
            throw new BadRequestException("payload." + e.field(), e.reason());
        }
        JsonNode data = payload.get("data");
        if (data == null || data.isNull()) {
            data = JsonNodeFactory.instance.objectNode();
        } else if (!data.isObject()) {
            throw new BadRequestException("payload.data", "must be a JSON object");
        }
        long size = data.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxDataSize) {
            throw new RejectedRequestException(HttpStatus.CONTENT_TOO_LARGE, "Reminder data too large", "payload.data",
                    "is " + size + " bytes of JSON; the limit is " + maxDataSize);
        }
        String sendAtText = fields.requiredText("sendAt", MAX_TEXT);
        Instant sendAt;
        try {
            sendAt = Instant.parse(sendAtText);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("sendAt", "must be an ISO-8601 instant such as 2025-12-22T09:00:00Z, got " + sendAtText);
        }
        return new ReminderRequest(scheduleId, userId, channel, title, body, data, sendAt,
                fields.text("occasionId", MAX_TEXT), fields.text("triggeredBy", MAX_TEXT));
    }

    String jobId() {
        return JOB_ID_PREFIX + scheduleId;
    }
}
