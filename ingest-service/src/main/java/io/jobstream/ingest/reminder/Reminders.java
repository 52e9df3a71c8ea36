package io.jobstream.ingest.reminder;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.ingest.queue.NewJob;
import io.jobstream.ingest.queue.QueueJobs;
import io.jobstream.store.reminder.NotificationSchedule;
import io.jobstream.store.reminder.NotificationSchedule.NewReminder;
import io.jobstream.store.reminder.NotificationSchedules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates a reminder: its PENDING notification schedule and its {@code reminder-dispatch} job delayed
 * until {@code sendAt}, the job added inside the row's database transaction. If the job cannot be
 * added the row is rolled back, so neither exists without the other; a retried request meanwhile
 * waits for the first one's outcome instead of being told about a row that may yet disappear.
 */
@Service
public class Reminders {

    public static final String QUEUE = "reminder-dispatch";
    /** Seed 004: reminders are time-sensitive, priority 1. */
    static final int PRIORITY = 1;

    private static final Logger log = LoggerFactory.getLogger(Reminders.class);

    private final NotificationSchedules schedules;
    private final QueueJobs jobs;
    private final JsonMapper json;
    private final Clock clock;

    public Reminders(NotificationSchedules schedules, QueueJobs jobs, JsonMapper json) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /** A new reminder, or the existing one with this schedule id. */
    public sealed interface Created {
        NotificationSchedule reminder();
    }

    public record Added(NotificationSchedule reminder) implements Created {
    }

    public record Existing(NotificationSchedule reminder) implements Created {
    }

    Created create(ReminderRequest request) {
        NewReminder reminder = new NewReminder(request.scheduleId(), request.userId(), request.channel(),
                request.title(), request.body(), request.data().toString(), request.sendAt(), request.occasionId(),
                request.triggeredBy(), request.jobId());
        boolean created = schedules.create(reminder, () -> {
            long delay = Math.max(0, Duration.between(clock.instant(), request.sendAt()).toMillis());
            jobs.add(QUEUE, List.of(new NewJob(QUEUE, jobData(request),
                    new NewJob.Options(request.jobId(), PRIORITY, delay, null, null, null, null, null, null))), "");
        });
        if (!created) {
            return new Existing(schedules.find(request.scheduleId()).orElseThrow());
        }
        log.info("reminder scheduled jobId={} scheduleId={} channel={} sendAt={}", request.jobId(), request.scheduleId(),
                request.channel(), request.sendAt());
        return new Added(schedules.find(request.scheduleId()).orElseThrow());
    }

    /** The job's data: seed 004's reminder payload, as the job status API shows it. */
    private JsonNode jobData(ReminderRequest request) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("scheduleId", request.scheduleId());
        data.put("userId", request.userId());
        data.put("channel", request.channel().name());
        data.put("payload", Map.of("title", request.title(), "body", request.body(), "data", request.data()));
        data.put("sendAt", request.sendAt().toString());
        data.put("occasionId", request.occasionId());
        data.put("triggeredBy", request.triggeredBy());
        return json.valueToTree(data);
    }
}
