package io.jobstream.ingest.query;

import java.time.Instant;

import io.jobstream.events.JobLog;

/** One line a handler logged for a job (BullMQ's {@code job.log}), with when and in which attempt. */
public record LogLine(Instant timestamp, int attempt, String line) {

    static LogLine of(JobLog log) {
        return new LogLine(log.getTimestamp(), log.getAttempt(), log.getLine());
    }
}
