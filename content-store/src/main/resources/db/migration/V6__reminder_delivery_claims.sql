-- A delivery under way holds its reminder until delivering_until (the database's clock, so instances cannot disagree):
-- no other worker sends it meanwhile, and it cannot be cancelled. A worker that died mid-delivery leaves the hold to
-- lapse; the next attempt then sends again, with the same Idempotency-Key.
ALTER TABLE notification_schedules ADD COLUMN delivering_until timestamptz;
