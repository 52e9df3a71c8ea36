package io.jobstream.dispatch.reminder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.JobDeferredException;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.store.reminder.DeliveryClaim;
import io.jobstream.store.reminder.NotificationSchedule;
import io.jobstream.store.reminder.NotificationSchedules;
import io.jobstream.store.reminder.ReminderStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code reminder-dispatch} job, run when its delay ends at {@code sendAt}: sends the reminder
 * only while its notification schedule is PENDING and no other worker holds it, then records the
 * outcome on the row. The row, not the job's data, is what is sent, so the job carries nothing that
 * could disagree with it.
 */
public final class ReminderDispatch implements JobHandler<JsonNode, Map<String, Object>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReminderDispatch.class);
    /** How often a reminder another worker holds is looked at again: its delivery usually ends well before the hold. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final NotificationSchedules schedules;
    private final ReminderSink sink;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration hold;
    /** Deliveries run here, apart from the worker's threads (see {@link #deliver}). */
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param hold how long a delivery under way keeps other workers from sending the same reminder (and from
     *             cancelling it); longer than a delivery may take, as it is also how long a worker that died
     *             mid-delivery delays the next attempt
     */
    public ReminderDispatch(NotificationSchedules schedules, ReminderSink sink, JsonMapper json, Clock clock, Duration hold) {
        this.schedules = schedules;
        this.sink = sink;
        this.json = json;
        this.clock = clock;
        this.hold = hold;
    }

    @Override
    public Map<String, Object> handle(Job<JsonNode> job) {
        String scheduleId = job.data().path("scheduleId").asString("");
        if (scheduleId.isBlank()) {
            throw new PermanentJobException("data.scheduleId: is required");
        }
        return switch (schedules.claimDelivery(scheduleId, hold)) {
            // Transient: the row commits just after its job is added (Reminders), so a job that is due at once can
            // come first. A job added without a row (not through /api/reminders) is dead-lettered once its attempts end.
            case DeliveryClaim.Missing() -> throw new TransientJobException("no notification schedule " + scheduleId);
            case DeliveryClaim.Settled(ReminderStatus status) -> {
                log.info("reminder not sent jobId={} scheduleId={} status={}", job.id(), scheduleId, status);
                yield result(scheduleId, status, null, null, true);
            }
            case DeliveryClaim.Held(Instant until) -> {
                log.info("reminder being delivered by another worker jobId={} scheduleId={} heldUntil={}", job.id(),
                        scheduleId, until);
                throw new JobDeferredException("reminder " + scheduleId + " is being delivered by another worker",
                        recheckAfter(until));
            }
            case DeliveryClaim.Claimed(NotificationSchedule schedule) -> outcome(job, schedule,
                    CompletableFuture.supplyAsync(() -> deliver(job, schedule), deliveries).join());
        };
    }

    /**
     * Sends the reminder and records what the receiver answered. It runs on a thread of its own, which the
     * worker's {@code join} leaves alone when the job is abandoned (its task moved to another instance, or it
     * timed out): interrupted halfway, the request could reach the receiver with the answer unrecorded, and the
     * job's next owner would send it again. Run to its end, the row says SENT before the hold lapses.
     */
    private Attempt deliver(Job<JsonNode> job, NotificationSchedule schedule) {
        String scheduleId = schedule.scheduleId();
        Instant started = clock.instant();
        Delivery delivery = sink.deliver(message(schedule));
        switch (delivery) {
            case Delivery.Accepted(int status) -> schedules.markSent(scheduleId, started, status);
            case Delivery.Refused(Integer status, String reason) -> schedules.markFailed(scheduleId, status, reason);
            case Delivery.Unavailable(Integer status, String reason) -> {
                if (lastAttempt(job)) {
                    schedules.markFailed(scheduleId, status, reason);
                } else {
                    schedules.recordAttempt(scheduleId, status, reason);
                }
            }
        }
        return new Attempt(started, delivery);
    }

    private Map<String, Object> outcome(Job<JsonNode> job, NotificationSchedule schedule, Attempt attempt) {
        String scheduleId = schedule.scheduleId();
        switch (attempt.delivery()) {
            case Delivery.Accepted(int status) -> {
                log.info("reminder sent jobId={} scheduleId={} channel={} receiverStatus={} lateMs={}", job.id(), scheduleId,
                        schedule.channel(), status, attempt.started().toEpochMilli() - schedule.sendAt().toEpochMilli());
                return result(scheduleId, ReminderStatus.SENT, status, attempt.started(), false);
            }
            case Delivery.Refused(Integer status, String reason) -> {
                log.warn("reminder refused jobId={} scheduleId={} receiverStatus={} reason={}", job.id(), scheduleId, status, reason);
                throw new PermanentJobException("reminder " + scheduleId + " refused: " + reason);
            }
            case Delivery.Unavailable(Integer status, String reason) -> {
                log.warn("reminder delivery failed jobId={} scheduleId={} attempt={}/{} receiverStatus={} reason={}", job.id(),
                        scheduleId, job.attempt(), job.metadata().maxAttempts(), status, reason);
                throw new TransientJobException("reminder " + scheduleId + " not delivered: " + reason);
            }
        }
    }

    /** Waits for deliveries under way: each ends by recording its outcome on the row. */
    @Override
    public void close() {
        deliveries.close();
    }

    private static boolean lastAttempt(Job<?> job) {
        return job.attempt() >= job.metadata().maxAttempts();
    }

    /** Soon, and at the latest when the other worker's hold lapses (it has recorded its outcome by then, or died). */
    private Duration recheckAfter(Instant until) {
        Duration left = until == null ? Duration.ZERO : Duration.between(clock.instant(), until);
        return left.compareTo(RECHECK) < 0 && left.isPositive() ? left : RECHECK;
    }

    private ReminderMessage message(NotificationSchedule schedule) {
        return new ReminderMessage(schedule.scheduleId(), schedule.userId(), schedule.channel(),
                new ReminderMessage.Payload(schedule.title(), schedule.body(), json.readTree(schedule.dataJson())),
                schedule.sendAt(), schedule.occasionId(), schedule.triggeredBy());
    }

    private record Attempt(Instant started, Delivery delivery) {
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
