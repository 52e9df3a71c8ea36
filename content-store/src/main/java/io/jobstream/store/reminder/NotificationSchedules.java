package io.jobstream.store.reminder;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.jobstream.store.reminder.NotificationSchedule.NewReminder;

/**
 * {@code notification_schedules}. Every status change is conditional on the row still being
 * PENDING, so a cancel and a delivery racing each other cannot both win; a delivery under way holds
 * the row ({@link #claimDelivery}), so two workers never send the same reminder side by side.
 */
public final class NotificationSchedules {

    private static final String COLUMNS = """
            schedule_id, user_id, channel, title, body, data::text, send_at, occasion_id, triggered_by, job_id,
            status, attempts, receiver_status, error, sent_at, created_at, updated_at""";

    /** A delivery is under way: its hold has not lapsed. */
    private static final String HELD = "coalesce(delivering_until > now(), false)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public NotificationSchedules(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * Inserts the reminder and, before its row commits, runs {@code beforeCommit} (adding its job): if
     * that throws, the row is rolled back and the exception propagates, so neither exists without the
     * other. A create of the same schedule id meanwhile waits on the uncommitted row, so a client that
     * retries a slow request is answered only once the first request's outcome is known.
     *
     * @return false when a reminder with this schedule id exists already (nothing is changed, nothing run)
     */
    public boolean create(NewReminder reminder, Runnable beforeCommit) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            if (!insert(reminder)) {
                return false;
            }
            beforeCommit.run();
            return true;
        }));
    }

    private boolean insert(NewReminder reminder) {
        return jdbc.update("""
                INSERT INTO notification_schedules
                    (schedule_id, user_id, channel, title, body, data, send_at, occasion_id, triggered_by, job_id)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                ON CONFLICT (schedule_id) DO NOTHING
                """, reminder.scheduleId(), reminder.userId(), reminder.channel().name(), reminder.title(), reminder.body(),
                reminder.dataJson(), Timestamp.from(reminder.sendAt()), reminder.occasionId(), reminder.triggeredBy(),
                reminder.jobId()) == 1;
    }

    public Optional<NotificationSchedule> find(String scheduleId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM notification_schedules WHERE schedule_id = ?",
                NotificationSchedules::row, scheduleId).stream().findFirst();
    }

    /** @return whether the reminder was pending and not being delivered (and is now cancelled) */
    public boolean cancel(String scheduleId) {
        return jdbc.update("""
                UPDATE notification_schedules SET status = 'CANCELLED', updated_at = now()
                WHERE schedule_id = ? AND status = 'PENDING' AND NOT %s
                """.formatted(HELD), scheduleId) == 1;
    }

    /**
     * Takes the reminder for one delivery, for {@code hold} at most: a PENDING row nobody else holds is
     * marked held until then, and only this worker sends it. Recording the outcome ends the hold.
     */
    public DeliveryClaim claimDelivery(String scheduleId, Duration hold) {
        Optional<NotificationSchedule> claimed = jdbc.query("""
                UPDATE notification_schedules
                SET delivering_until = now() + make_interval(secs => ?), updated_at = now()
                WHERE schedule_id = ? AND status = 'PENDING' AND NOT %s
                RETURNING %s
                """.formatted(HELD, COLUMNS),
                NotificationSchedules::row, hold.toMillis() / 1000.0, scheduleId).stream().findFirst();
        if (claimed.isPresent()) {
            return new DeliveryClaim.Claimed(claimed.get());
        }
        return jdbc.query("SELECT status, delivering_until FROM notification_schedules WHERE schedule_id = ?",
                (rs, row) -> {
                    ReminderStatus status = ReminderStatus.valueOf(rs.getString(1));
                    return status == ReminderStatus.PENDING
                            ? (DeliveryClaim) new DeliveryClaim.Held(instant(rs.getTimestamp(2)))
                            : new DeliveryClaim.Settled(status);
                }, scheduleId).stream().findFirst().orElseGet(DeliveryClaim.Missing::new);
    }

    /** A delivery the receiver accepted. */
    public boolean markSent(String scheduleId, Instant sentAt, int receiverStatus) {
        return jdbc.update("""
                UPDATE notification_schedules
                SET status = 'SENT', sent_at = ?, receiver_status = ?, attempts = attempts + 1, error = NULL,
                    delivering_until = NULL, updated_at = now()
                WHERE schedule_id = ? AND status = 'PENDING'
                """, Timestamp.from(sentAt), receiverStatus, scheduleId) == 1;
    }

    /** A failed attempt that will be retried: the reminder stays PENDING, and free for the next attempt. */
    public void recordAttempt(String scheduleId, Integer receiverStatus, String error) {
        jdbc.update("""
                UPDATE notification_schedules
                SET attempts = attempts + 1, receiver_status = ?, error = ?, delivering_until = NULL, updated_at = now()
                WHERE schedule_id = ? AND status = 'PENDING'
                """, receiverStatus, error, scheduleId);
    }

    /** The last attempt failed, or the receiver refused the reminder: it will not be sent. */
    public boolean markFailed(String scheduleId, Integer receiverStatus, String error) {
        return jdbc.update("""
                UPDATE notification_schedules
                SET status = 'FAILED', attempts = attempts + 1, receiver_status = ?, error = ?, delivering_until = NULL,
                    updated_at = now()
                WHERE schedule_id = ? AND status = 'PENDING'
                """, receiverStatus, error, scheduleId) == 1;
    }

    private static NotificationSchedule row(ResultSet rs, int row) throws SQLException {
        return new NotificationSchedule(rs.getString(1), rs.getString(2), Channel.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9),
                rs.getString(10), ReminderStatus.valueOf(rs.getString(11)), rs.getInt(12), rs.getObject(13, Integer.class),
                rs.getString(14), instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
