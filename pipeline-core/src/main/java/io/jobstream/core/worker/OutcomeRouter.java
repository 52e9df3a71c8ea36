package io.jobstream.core.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.async.StepOutcome;
import io.jobstream.core.control.QueueControl;
import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.metrics.JobMetrics;
import io.jobstream.core.retry.Failure;
import io.jobstream.core.retry.FailureClassifier;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.store.UnfinishedJob;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobLog;

/**
 * The job lifecycle after each outcome of the queue's step: publish the job's events and log lines,
 * hand a result on, and for a failure either schedule the next attempt on the retry topic or
 * dead-letter the record.
 */
final class OutcomeRouter<V, R, O> implements Processor<String, StepOutcome<V, R>, String, Object> {

    static final String EVENTS = "events";
    static final String RETRY = "retry";
    static final String DEAD_LETTERS = "dead-letters";
    static final String OUTPUT = "output";
    static final String LOGS = "logs";
    static final String CONTROL = "control";

    private static final Logger log = LoggerFactory.getLogger(OutcomeRouter.class);

    private final String queue;
    private final String nodePrefix;
    private final String dedupeStoreName;
    private final RetryPolicy retry;
    private final FailureClassifier classifier;
    private final JobOutput<V, R, O> output;
    private final Function<R, String> returnValue;
    private final boolean completesJob;
    private final JobMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, UnfinishedJob> unfinished;

    /** @param nodePrefix prefix of the sink node names, so several queues fit one topology */
    OutcomeRouter(String queue, String nodePrefix, String dedupeStoreName, RetryPolicy retry, FailureClassifier classifier,
                  JobOutput<V, R, O> output, Function<R, String> returnValue, boolean completesJob, JobMetrics metrics) {
        this.queue = queue;
        this.nodePrefix = nodePrefix;
        this.dedupeStoreName = dedupeStoreName;
        this.retry = retry;
        this.classifier = classifier;
        this.output = output;
        this.returnValue = returnValue;
        this.completesJob = completesJob;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.unfinished = context.getStateStore(dedupeStoreName);
    }

    @Override
    public void process(Record<String, StepOutcome<V, R>> record) {
        StepOutcome<V, R> outcome = record.value();
        JobMetadata job = outcome.job();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        switch (outcome.kind()) {
            // The attempt's real start: the worker announces it a tick or more later.
            case STARTED -> publish(JobEvents.active(queue, job, outcome.startedAt()));
            case PROGRESS -> publish(JobEvents.progress(queue, job, outcome.percent(), outcome.step(), now));
            case LOG -> appendLog(job, outcome.text(), now);
            case SUCCEEDED -> succeed(outcome, now);
            case FAILED -> fail(record, outcome, now);
            case CANCELLED -> cancel(outcome, now);
            case DEFERRED -> defer(record, outcome, now);
        }
    }

    private void succeed(StepOutcome<V, R> outcome, Instant now) {
        JobMetadata job = outcome.job();
        KeyValue<String, O> next = output == null ? null : output.toRecord(job, outcome.value(), outcome.result());
        if (next != null) {
            Headers headers = new RecordHeaders();
            (completesJob ? job : job.nextStage()).writeIdentityTo(headers);
            context.forward(new Record<>(next.key, next.value, now.toEpochMilli(), headers), nodePrefix + OUTPUT);
        }
        if (completesJob) {
            publish(JobEvents.completed(queue, job, outcome.result() == null ? null : returnValue.apply(outcome.result()), now),
                    outcome);
            log.info("job completed queue={} jobId={} attempt={}", queue, job.jobId(), job.attempt());
        } else {
            publish(JobEvents.progress(queue, job, 100, queue, now), outcome);
        }
        finished(job);
        metrics.completed(queue, job.jobType());
    }

    private void appendLog(JobMetadata job, String line, Instant now) {
        JobLog entry = JobLog.newBuilder()
                .setJobId(job.jobId())
                .setQueue(queue)
                .setAttempt(job.attempt())
                .setLine(line)
                .setTimestamp(now)
                .build();
        context.forward(new Record<>(job.jobId(), entry, now.toEpochMilli()), nodePrefix + LOGS);
    }

    private void cancel(StepOutcome<V, R> outcome, Instant now) {
        JobMetadata job = outcome.job();
        publish(JobEvents.cancelled(queue, job, outcome.text(), now), outcome);
        // The run has ended: a tombstone keeps the compacted control topic from holding the cancel forever.
        context.forward(new Record<>(QueueControl.jobKey(job.jobId()), null, now.toEpochMilli()), nodePrefix + CONTROL);
        finished(job);
        metrics.cancelled(queue, job.jobType());
        log.info("job cancelled queue={} jobId={} attempt={}", queue, job.jobId(), job.attempt());
    }

    private void fail(Record<String, StepOutcome<V, R>> record, StepOutcome<V, R> outcome, Instant now) {
        JobMetadata job = outcome.job();
        Failure failure = classifier.classify(outcome.error());
        Headers headers = requeued(record);
        long firstFailure = JobHeaders.number(headers, JobHeaders.FIRST_FAILURE_AT).orElse(now.toEpochMilli());
        if (failure.transientError() && job.hasAttemptsLeft()) {
            Duration delay = failure.retryAfter().orElseGet(() -> policyOf(job, headers).delayAfter(job.attempt()));
            Instant dueAt = now.plus(delay);
            job.nextAttempt().writeTo(headers);
            JobHeaders.put(headers, JobHeaders.DUE_AT, dueAt.toEpochMilli());
            JobHeaders.put(headers, JobHeaders.FIRST_FAILURE_AT, firstFailure);
            context.forward(new Record<>(record.key(), outcome.record().value(), now.toEpochMilli(), headers), nodePrefix + RETRY);
            publish(JobEvents.retryScheduled(queue, job, failure.error(), dueAt, now), outcome);
            metrics.retried(queue, job.jobType());
            log.info("job retry scheduled queue={} jobId={} attempt={} dueAt={} error={}",
                    queue, job.jobId(), job.attempt(), dueAt, failure.error().toString());
            return;
        }
        DeadLetterHeaders.write(headers,
                new DeadLetterHeaders.Source(outcome.record().sourceTopic(), outcome.record().sourcePartition(),
                        outcome.record().sourceOffset()),
                failure.error(), job.attempt(), Instant.ofEpochMilli(firstFailure), now, queue);
        context.forward(new Record<>(record.key(), outcome.record().value(), now.toEpochMilli(), headers), nodePrefix + DEAD_LETTERS);
        publish(JobEvents.deadLettered(queue, job, failure.error(), now), outcome);
        finished(job);
        metrics.deadLettered(queue, job.jobType());
        log.warn("job dead-lettered queue={} jobId={} attempts={} transient={} error={}",
                queue, job.jobId(), job.attempt(), failure.transientError(), failure.error().toString());
    }

    /**
     * The job's headers for its record's next trip (retry, deferral, dead letter): no longer its
     * submission, so no longer the QUEUED fact the intake turns into an event.
     */
    private static Headers requeued(Record<?, ?> record) {
        Headers headers = record.headers();
        headers.remove(JobHeaders.QUEUED_BY_RECORD);
        return headers;
    }

    /**
     * The job's own back-off (BullMQ's {@code backoff} option) within the queue's cap and jitter; a
     * delay without a type is fixed, as BullMQ's numeric {@code backoff}.
     */
    private RetryPolicy policyOf(JobMetadata job, Headers headers) {
        Optional<String> type = JobHeaders.text(headers, JobHeaders.BACKOFF_TYPE);
        Optional<Long> delay = JobHeaders.number(headers, JobHeaders.BACKOFF_DELAY);
        if (type.isEmpty() && delay.isEmpty()) {
            return retry;
        }
        try {
            return retry.withBackoff(type.orElse(RetryPolicy.FIXED), delay.map(Duration::ofMillis).orElse(retry.baseDelay()));
        } catch (IllegalArgumentException invalid) {
            log.warn("job back-off ignored, using the queue's queue={} jobId={} reason={}", queue, job.jobId(), invalid.getMessage());
            return retry;
        }
    }

    /** The same attempt again later, through the retry topic and its timer. */
    private void defer(Record<String, StepOutcome<V, R>> record, StepOutcome<V, R> outcome, Instant now) {
        JobMetadata job = outcome.job();
        Instant dueAt = now.plus(outcome.retryAfter());
        Headers headers = requeued(record);
        JobHeaders.put(headers, JobHeaders.DUE_AT, dueAt.toEpochMilli());
        context.forward(new Record<>(record.key(), outcome.record().value(), now.toEpochMilli(), headers), nodePrefix + RETRY);
        publish(JobEvents.delayed(queue, job, null, dueAt, now), outcome);
        metrics.rateLimited(queue, job.jobType());
        log.info("job deferred queue={} jobId={} attempt={} dueAt={} reason={}",
                queue, job.jobId(), job.attempt(), dueAt, outcome.text());
    }

    /**
     * The run is over: its job id may be used again. Only this run's entry goes; a newer run of the
     * same id, let in after this one was cancelled, keeps its own.
     */
    private void finished(JobMetadata job) {
        UnfinishedJob entry = unfinished.get(job.jobId());
        if (entry != null && entry.run() == job.enqueuedAt().toEpochMilli()) {
            unfinished.delete(job.jobId());
        }
    }

    /** An attempt's outcome event: it tells when the attempt started if no ACTIVE event did. */
    private void publish(JobEvent event, StepOutcome<V, R> outcome) {
        publish(JobEvents.withStartedAt(event, outcome.startedAt()));
    }

    private void publish(JobEvent event) {
        context.forward(new Record<>(event.getJobId(), event, event.getTimestamp().toEpochMilli()), nodePrefix + EVENTS);
    }
}
