package io.jobstream.dispatch.reminder;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.store.reminder.NotificationSchedule;
import io.jobstream.store.reminder.NotificationSchedules;
import io.jobstream.store.reminder.ReminderStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code reminder-dispatch} job, run when its delay ends at {@code sendAt}: sends the reminder
 * only while its notification schedule is PENDING, then records the outcome on the row. The row,
 * not the job's data, is what is sent, so the job carries nothing that could disagree with it.
 */
public final class ReminderDispatch implements JobHandler<JsonNode, Map<String, Object>> {

    private static final Logger log = LoggerFactory.getLogger(ReminderDispatch.class);

    private final NotificationSchedules schedules;
    private final ReminderSink sink;
    private final JsonMapper json;
    private final Clock clock;

    public ReminderDispatch(NotificationSchedules schedules, ReminderSink sink, JsonMapper json, Clock clock) {
        this.schedules = schedules;
        this.sink = sink;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handle(Job<JsonNode> job) {
        String scheduleId = job.data().path("scheduleId").asString("");
        if (scheduleId.isBlank()) {
            throw new PermanentJobException("data.scheduleId: is required");
        }
        // Transient: the row commits just after its job is added (Reminders), so a job that is due at once can
        // come first. A job added without a row (not through /api/reminders) is dead-lettered once its attempts end.
        NotificationSchedule schedule = schedules.find(scheduleId)
                .orElseThrow(() -> new TransientJobException("no notification schedule " + scheduleId));
        if (schedule.status() != ReminderStatus.PENDING) {
            log.info("reminder not sent jobId={} scheduleId={} status={}", job.id(), scheduleId, schedule.status());
            return result(scheduleId, schedule.status(), null, null, true);
        }
        Instant started = clock.instant();
        Delivery delivery = sink.deliver(message(schedule));
        switch (delivery) {
            case Delivery.Accepted(int status) -> {
                schedules.markSent(scheduleId, started, status);
                log.info("reminder sent jobId={} scheduleId={} channel={} receiverStatus={} lateMs={}", job.id(), scheduleId,
                        schedule.channel(), status, started.toEpochMilli() - schedule.sendAt().toEpochMilli());
                return result(scheduleId, ReminderStatus.SENT, status, started, false);
            }
            case Delivery.Refused(Integer status, String reason) -> {
                schedules.markFailed(scheduleId, status, reason);
                log.warn("reminder refused jobId={} scheduleId={} receiverStatus={} reason={}", job.id(), scheduleId, status, reason);
                throw new PermanentJobException("reminder " + scheduleId + " refused: " + reason);
            }
            case Delivery.Unavailable(Integer status, String reason) -> {
                boolean last = job.attempt() >= job.metadata().maxAttempts();
                if (last) {
                    schedules.markFailed(scheduleId, status, reason);
                } else {
                    schedules.recordAttempt(scheduleId, status, reason);
                }
                log.warn("reminder delivery failed jobId={} scheduleId={} attempt={}/{} receiverStatus={} reason={}", job.id(),
                        scheduleId, job.attempt(), job.metadata().maxAttempts(), status, reason);
                throw new TransientJobException("reminder " + scheduleId + " not delivered: " + reason);
            }
        }
    }

    private ReminderMessage message(NotificationSchedule schedule) {
        return new ReminderMessage(schedule.scheduleId(), schedule.userId(), schedule.channel(),
                new ReminderMessage.Payload(schedule.title(), schedule.body(), json.readTree(schedule.dataJson())),
                schedule.sendAt(), schedule.occasionId(), schedule.triggeredBy());
    }

    private static Map<String, Object> result(String scheduleId, ReminderStatus status, Integer receiverStatus, Instant sentAt,
                                              boolean skipped) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scheduleId", scheduleId);
        result.put("status", status.name());
        result.put("skipped", skipped);
        if (receiverStatus != null) {
            result.put("receiverStatus", receiverStatus);
            result.put("sentAt", sentAt.toString());
        }
        return result;
    }
}
