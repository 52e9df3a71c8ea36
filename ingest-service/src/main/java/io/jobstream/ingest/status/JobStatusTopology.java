package io.jobstream.ingest.status;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.JobAttempts;
import io.jobstream.core.control.QueueControl;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobLog;
import io.jobstream.events.JobStatus;
import io.jobstream.topics.TopicCatalog;

/**
 * Job events → per {@code jobs.events} partition, the {@value #STATUS_STORE} store (one
 * {@link JobStatus} per job id, RocksDB, changelogged) and the {@value #COUNTS_STORE} store (that
 * partition's jobs per queue and state, rebuilt from the statuses when a task starts), both
 * queryable through {@code JobStatusQueries}; the {@value #HISTORY_STORE} store (each job's failed
 * attempts, from the same events); {@code jobs.logs} → the {@value #LOGS_STORE} store beside them. Beside them,
 * {@code jobs.control} → the global queue-control store, which tells which queues are paused.
 */
public final class JobStatusTopology {

    /** Job id → {@link JobStatus}, partitioned like {@code jobs.events} (by job id). */
    public static final String STATUS_STORE = "job-status";
    /** {@link QueueStateKey} (encoded) → jobs of that queue in that state, in one partition. */
    public static final String COUNTS_STORE = "job-counts-by-partition";
    /** Job id and offset → {@link JobLog}: the lines handlers logged ({@link JobLogs}). */
    public static final String LOGS_STORE = "job-logs";
    /** Job id → {@link JobAttempts}: the job's latest failed attempts with their stacks ({@link JobHistory}). */
    public static final String HISTORY_STORE = "job-history";

    private final Serde<String> ids = Serdes.String();
    private final Serde<JobEvent> events = AvroSerde.of(JobEvent.class);
    private final Serde<JobStatus> statuses = AvroSerde.of(JobStatus.class);
    private final Serde<JobLog> logs = AvroSerde.of(JobLog.class);
    private final Serde<JobAttempts> attempts = AvroSerde.of(JobAttempts.class);

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder()
                .addStateStore(Stores.timestampedKeyValueStoreBuilder(
                                Stores.persistentTimestampedKeyValueStore(STATUS_STORE), ids, statuses)
                        .withCachingEnabled())
                .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COUNTS_STORE), ids, Serdes.Long())
                        .withLoggingDisabled())
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LOGS_STORE), ids, logs))
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE), ids, attempts));

        builder.stream(TopicCatalog.JOB_EVENTS, Consumed.with(ids, events).withName("job-events"))
                .process(JobStatusProcessor::new, Named.as("job-status-fold"),
                        STATUS_STORE, COUNTS_STORE, LOGS_STORE, HISTORY_STORE);
        // Keyed by job id like jobs.events and sharing a store with the fold: one task owns a job's status and logs.
        builder.stream(TopicCatalog.JOB_LOGS, Consumed.with(ids, logs).withName("job-logs"))
                .process(JobLogs.Appender::new, Named.as("job-logs-append"), LOGS_STORE);

        return QueueControl.addTo(builder.build());
    }
}
