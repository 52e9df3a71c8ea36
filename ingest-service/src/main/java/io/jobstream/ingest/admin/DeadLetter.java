package io.jobstream.ingest.admin;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.retry.RetryPolicy;

/**
 * One record of a queue's dead-letter topic: the job's original record (key, payload, job headers)
 * and why it died.
 */
public record DeadLetter(JobMetadata job, String key, byte[] value, String step, String exceptionClass,
                         String exceptionMessage, int attempts, Instant firstFailureAt, Instant lastFailureAt,
                         String originalTopic, int partition, long offset) {

    static DeadLetter of(String queue, ConsumerRecord<String, byte[]> record) {
        var headers = record.headers();
        JobMetadata job = JobMetadata.from(headers, record.key(), queue, RetryPolicy.DEFAULT.attempts(), record.timestamp());
        return new DeadLetter(job, record.key(), record.value(),
                JobHeaders.text(headers, DeadLetterHeaders.STEP).orElse(queue),
                JobHeaders.text(headers, DeadLetterHeaders.EXCEPTION_CLASS).orElse(null),
                JobHeaders.text(headers, DeadLetterHeaders.EXCEPTION_MESSAGE).orElse(null),
                JobHeaders.number(headers, DeadLetterHeaders.ATTEMPTS).map(Long::intValue).orElse(job.attempt()),
                instant(headers, DeadLetterHeaders.FIRST_FAILURE_AT, record.timestamp()),
                instant(headers, DeadLetterHeaders.LAST_FAILURE_AT, record.timestamp()),
                JobHeaders.text(headers, DeadLetterHeaders.ORIGINAL_TOPIC).orElse(null),
                record.partition(), record.offset());
    }

    /** Whether this dead letter ended the given run of its job (and not an earlier one). */
    public boolean endedRun(Instant enqueuedAt) {
        return job.enqueuedAt().equals(enqueuedAt);
    }

    private static Instant instant(org.apache.kafka.common.header.Headers headers, String name, long fallback) {
        return Instant.ofEpochMilli(JobHeaders.number(headers, name).orElse(fallback));
    }
}
