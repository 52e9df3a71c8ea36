package io.jobstream.ingest.reminder;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.core.web.ErrorBody;
import io.jobstream.ingest.queue.JobsProperties;
import io.jobstream.ingest.reminder.Reminders.Added;
import io.jobstream.ingest.reminder.Reminders.Created;
import io.jobstream.store.reminder.NotificationSchedule;
import io.jobstream.store.reminder.NotificationSchedules;
import io.jobstream.store.reminder.ReminderStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004's reminders: {@code enqueueReminderDispatch} as a route, the reminder's state, and
 * cancelling one before it is sent.
 */
@RestController
public class ReminderController {

    private final Reminders reminders;
    private final NotificationSchedules schedules;
    private final JsonMapper json;
    private final long maxDataSize;

    public ReminderController(Reminders reminders, NotificationSchedules schedules, JsonMapper json, JobsProperties jobs) {
        this.reminders = reminders;
        this.schedules = schedules;
        this.json = json;
        this.maxDataSize = jobs.maxDataSize().toBytes();
    }

    public record ReminderResponse(boolean success, boolean duplicate, String jobId, ReminderView reminder) {
    }

    public record ReminderAnswer(boolean success, ReminderView reminder) {
    }

    public record CancelAnswer(boolean success, String message, ReminderView reminder) {
    }

    /** 201 for a new reminder; 200 with {@code duplicate: true} and the existing one for a known schedule id. */
    @PostMapping("/api/reminders")
    public ResponseEntity<ReminderResponse> create(@RequestBody(required = false) JsonNode body) {
        Created created = reminders.create(ReminderRequest.read(body, maxDataSize));
        boolean added = created instanceof Added;
        NotificationSchedule row = created.reminder();
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ReminderResponse(true, !added, row.jobId(), ReminderView.of(row, json)));
    }

    @GetMapping("/api/reminders/{scheduleId}")
    public ReminderAnswer get(@PathVariable String scheduleId) {
        return new ReminderAnswer(true, ReminderView.of(find(scheduleId), json));
    }

    /**
     * Cancels a PENDING reminder; its job, when it runs, finds it CANCELLED and sends nothing. One being
     * delivered at this moment can no longer be cancelled.
     */
    @DeleteMapping("/api/reminders/{scheduleId}")
    public CancelAnswer cancel(@PathVariable String scheduleId) {
        if (!schedules.cancel(scheduleId)) {
            NotificationSchedule row = find(scheduleId);
            throw new NotPendingException(row.scheduleId(), row.status());
        }
        return new CancelAnswer(true, "Reminder cancelled", ReminderView.of(find(scheduleId), json));
    }

    private NotificationSchedule find(String scheduleId) {
        return schedules.find(scheduleId).orElseThrow(() -> new UnknownReminderException(scheduleId));
    }

    static final class UnknownReminderException extends RuntimeException {
        UnknownReminderException(String scheduleId) {
            super("no reminder with schedule id " + scheduleId);
        }
    }

    static final class NotPendingException extends RuntimeException {
        NotPendingException(String scheduleId, ReminderStatus status) {
            super(status == ReminderStatus.PENDING
                    ? "reminder " + scheduleId + " is being delivered now; it can no longer be cancelled"
                    : "reminder " + scheduleId + " is " + status + "; only a PENDING reminder can be cancelled");
        }
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> unknown(UnknownReminderException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ErrorBody("Reminder not found", "scheduleId", e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> notPending(NotPendingException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(new ErrorBody("Reminder cannot be cancelled", "scheduleId", e.getMessage()));
    }
}
