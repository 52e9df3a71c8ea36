package io.jobstream.core.dedupe;

import java.time.Instant;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.control.QueueControl;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.job.JobMetadataReader;
import io.jobstream.core.store.UnfinishedJob;

/**
 * BullMQ's job-id semantics: while a job is unfinished, another submission with the same job id
 * is dropped. The worker's store of {@link UnfinishedJob}s maps job id to the run in progress (its
 * submission time); records of that same run (retries, delayed jobs coming due) pass. The entry is
 * removed when the run finishes, so the id can be used again; a cancelled run counts as finished
 * even while its record is still parked on the retry topic.
 */
public final class JobDeduplicator<V> implements Processor<String, V, String, V> {

    private static final Logger log = LoggerFactory.getLogger(JobDeduplicator.class);

    private final String storeName;
    private final JobMetadataReader metadata;
    private ProcessorContext<String, V> context;
    private KeyValueStore<String, UnfinishedJob> unfinished;
    private QueueControl control;

    public JobDeduplicator(String storeName, JobMetadataReader metadata) {
        this.storeName = storeName;
        this.metadata = metadata;
    }

    @Override
    public void init(ProcessorContext<String, V> context) {
        this.context = context;
        this.unfinished = context.getStateStore(storeName);
        this.control = new QueueControl(context.getStateStore(QueueControl.STORE));
    }

    @Override
    public void process(Record<String, V> record) {
        JobMetadata job = metadata.read(record.headers(), record.key(), record.timestamp());
        long run = job.enqueuedAt().toEpochMilli();
        UnfinishedJob entry = unfinished.get(job.jobId());
        Long current = entry == null ? null : entry.run();
        if (current != null && current != run && isCancelled(job, current)) {
            current = null;
        }
        if (current != null && current != run) {
            log.info("duplicate job dropped jobId={} runningSince={} duplicateOf={}", job.jobId(), current, run);
            return;
        }
        // The worker's step, next in this call, writes the run's entry together with the record it holds:
        // one store write per job, not two.
        context.forward(record);
    }

    private boolean isCancelled(JobMetadata job, long runningSince) {
        JobMetadata running = new JobMetadata(job.jobId(), job.jobType(), 1, job.maxAttempts(), Instant.ofEpochMilli(runningSince),
                null, null, null);
        return control.cancellation(running).isPresent();
    }
}
