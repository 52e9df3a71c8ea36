package io.jobstream.core.scheduler;

import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.queue.JobEnvelope;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobTemplate;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * The job one tick adds: its record for the queue's requests topic (or the retry topic, due after
 * the template's delay) and its QUEUED or DELAYED event.
 *
 * @param topic where the record goes: the queue's requests topic, or its retry topic when delayed
 */
public record ScheduledJob(String topic, String jobId, JobRequested envelope, Headers headers, JobEvent event) {

    /** {@code {schedulerId}:{tickEpochMillis}}: a tick fired again after a crash has the same id, and the worker drops it. */
    public static String jobId(String schedulerId, Instant tick) {
        return schedulerId + ":" + tick.toEpochMilli();
    }

    public static ScheduledJob of(JobScheduler scheduler, Instant tick, QueueProperties queues, Instant now) {
        String queueName = scheduler.definition().getQueue();
        QueueTopics queue = TopicCatalog.queue(queueName);
        JobTemplate template = scheduler.definition().getTemplate();
        JobOptions options = template.getOptions();
        String jobId = jobId(scheduler.id(), tick);
        int maxAttempts = options.getAttempts() != null ? options.getAttempts() : queues.queue(queueName).retry().attempts();
        JobMetadata job = new JobMetadata(jobId, template.getName(), 1, maxAttempts, tick, null, null, options.getPriority());

        Headers headers = new RecordHeaders();
        job.writeTo(headers);
        JobHeaders.put(headers, JobHeaders.BACKOFF_TYPE, options.getBackoffType());
        JobHeaders.put(headers, JobHeaders.BACKOFF_DELAY, options.getBackoffDelayMillis());
        JobHeaders.put(headers, JobHeaders.TIMEOUT, options.getTimeoutMillis());
        JobOptions recordOptions = JobOptions.newBuilder(options).setJobId(jobId).build();
        JobRequested envelope = new JobRequested(template.getName(), template.getData(), recordOptions);

        Long delay = options.getDelayMillis();
        if (delay == null || delay <= 0) {
            return new ScheduledJob(queue.requests(), jobId, envelope, headers,
                    JobEnvelope.withRemoval(JobEvents.queued(queueName, job, template.getData(), now), options));
        }
        Instant dueAt = tick.plusMillis(delay);
        JobHeaders.put(headers, JobHeaders.DUE_AT, dueAt.toEpochMilli());
        return new ScheduledJob(queue.retry(), jobId, envelope, headers,
                JobEnvelope.withRemoval(JobEvents.delayed(queueName, job, template.getData(), dueAt, now), options));
    }
}
