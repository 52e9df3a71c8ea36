package io.jobstream.store.reminder;

/** How a reminder reaches its user (seed 004's channels). */
public enum Channel { PUSH, EMAIL, SMS, WEBHOOK }
