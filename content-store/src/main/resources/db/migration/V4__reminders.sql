-- Seed 004's notification schedules: one row per reminder, created with its reminder-dispatch job.
-- The job sends only while the row is PENDING, so cancelling is an update of this row.
CREATE TABLE notification_schedules (
    schedule_id     text PRIMARY KEY,
    user_id         text        NOT NULL,
    channel         text        NOT NULL CHECK (channel IN ('PUSH', 'EMAIL', 'SMS', 'WEBHOOK')),
    title           text        NOT NULL,
    body            text        NOT NULL,
    data            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    send_at         timestamptz NOT NULL,
    occasion_id     text,
    triggered_by    text,
    job_id          text        NOT NULL,
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'CANCELLED', 'FAILED')),
    -- Delivery attempts made (a retried 5xx counts each), the receiver's last HTTP status and error.
    attempts        integer     NOT NULL DEFAULT 0,
    receiver_status integer,
    error           text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX notification_schedules_user ON notification_schedules (user_id, send_at);
