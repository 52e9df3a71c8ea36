package io.jobstream.ingest.status;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.events.JobAttempts;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobLog;
import io.jobstream.events.JobStatus;

/**
 * Folds each job event into its job's status and moves the job between its queue's counts, both in
 * the stores of the event's own {@code jobs.events} partition.
 *
 * <p>The counts are this partition's share; queries add up the shares of every partition. Keeping
 * them beside the statuses, rather than re-grouping statuses by queue through a repartition topic,
 * saves the broker and this service several records per status change. They are derived data and
 * have no changelog: each task counts its restored statuses once when it starts.
 */
final class JobStatusProcessor implements Processor<String, JobEvent, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(JobStatusProcessor.class);

    private TimestampedKeyValueStore<String, JobStatus> statuses;
    private KeyValueStore<String, Long> counts;
    private KeyValueStore<String, JobLog> logs;
    private KeyValueStore<String, JobAttempts> history;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.statuses = context.getStateStore(JobStatusTopology.STATUS_STORE);
        this.counts = context.getStateStore(JobStatusTopology.COUNTS_STORE);
        this.logs = context.getStateStore(JobStatusTopology.LOGS_STORE);
        this.history = context.getStateStore(JobStatusTopology.HISTORY_STORE);
        // Runs after the status store is restored; the in-memory counts of an earlier owner are gone.
        long jobs = 0;
        try (KeyValueIterator<String, ValueAndTimestamp<JobStatus>> all = statuses.all()) {
            while (all.hasNext()) {
                add(all.next().value.value(), 1);
                jobs++;
            }
        }
        log.info("job counts rebuilt task={} jobs={}", context.taskId(), jobs);
    }

    @Override
    public void process(Record<String, JobEvent> event) {
        if (event.key() == null || event.value() == null) {
            log.warn("job event without job id or body skipped jobId={}", event.key());
            return;
        }
        ValueAndTimestamp<JobStatus> stored = statuses.get(event.key());
        JobStatus before = stored == null ? null : stored.value();
        JobStatus after = JobStatusFold.apply(before, event.value());
        if (after == before) {
            // An event the fold ignores (an earlier run's, one after CANCELLED, REMOVED of an unknown job): nothing to write.
            return;
        }
        if (after == null) {
            statuses.delete(event.key());
            JobLogs.delete(logs, event.key());
            history.delete(event.key());
        } else {
            long timestamp = stored == null ? event.timestamp() : Math.max(stored.timestamp(), event.timestamp());
            statuses.put(event.key(), ValueAndTimestamp.make(after, timestamp));
            JobHistory.record(history.get(event.key()), event.value())
                    .ifPresent(attempts -> history.put(event.key(), attempts));
        }
        if (!sameCount(before, after)) {
            add(before, -1);
            add(after, 1);
        }
    }

    private static boolean sameCount(JobStatus before, JobStatus after) {
        return before != null && after != null
                && before.getQueue().equals(after.getQueue()) && before.getState() == after.getState();
    }

    private void add(JobStatus status, long jobs) {
        if (status == null) {
            return;
        }
        String key = new QueueStateKey(status.getQueue(), status.getState()).encode();
        Long current = counts.get(key);
        long next = (current == null ? 0 : current) + jobs;
        if (next == 0) {
            counts.delete(key);
        } else {
            counts.put(key, next);
        }
    }
}
