package io.jobstream.ingest.status;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobstream.events.JobLog;

/**
 * The {@value JobStatusTopology#LOGS_STORE} store: every line a job's handler logged, keyed by job
 * id and the line's offset on {@code jobs.logs}, so one prefix scan reads a job's lines in order.
 * It sits beside the status store in one task, so whoever owns a job's status owns its logs.
 */
public final class JobLogs {

    private static final char SEPARATOR = '\u0000';
    private static final StringSerializer KEYS = new StringSerializer();

    private JobLogs() {
    }

    /** A job's lines, oldest first. */
    public static List<JobLog> of(ReadOnlyKeyValueStore<String, JobLog> store, String jobId) {
        List<JobLog> lines = new ArrayList<>();
        try (KeyValueIterator<String, JobLog> all = store.prefixScan(prefix(jobId), KEYS)) {
            all.forEachRemaining(entry -> lines.add(entry.value));
        }
        return lines;
    }

    /** Forgets a removed job's lines. */
    static void delete(KeyValueStore<String, JobLog> store, String jobId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, JobLog> all = store.prefixScan(prefix(jobId), KEYS)) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }

    private static String prefix(String jobId) {
        return jobId + SEPARATOR;
    }

    /** Appends each line under its offset, zero-padded so the store's byte order is the log's order. */
    static final class Appender implements Processor<String, JobLog, Void, Void> {

        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, JobLog> lines;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.lines = context.getStateStore(JobStatusTopology.LOGS_STORE);
        }

        @Override
        public void process(Record<String, JobLog> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            long offset = context.recordMetadata().map(metadata -> metadata.offset()).orElse(record.timestamp());
            lines.put(prefix(record.key()) + String.format("%019d", offset), record.value());
        }
    }
}
