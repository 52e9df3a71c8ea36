package io.jobstream.store.reminder;

/** Where a notification schedule stands; only a PENDING one is ever sent. */
public enum ReminderStatus { PENDING, SENT, CANCELLED, FAILED }
