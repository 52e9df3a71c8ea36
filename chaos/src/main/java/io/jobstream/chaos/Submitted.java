package io.jobstream.chaos;

import java.time.Instant;

/** A job the stack acknowledged (2xx with its id): from then on it must finish, once. */
record Submitted(String jobId, JobKind kind, Instant at) {
}
