package io.jobstream.ingest.status;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.control.QueueControl;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobStatus;
import io.jobstream.topics.TopicCatalog;

/**
 * Job events → the {@value #STATUS_STORE} table (one {@link JobStatus} per job id) → the
 * {@value #COUNTS_STORE} table (jobs per queue and state). Both stores are RocksDB, changelogged,
 * and queryable through {@code JobStatusQueries}. Beside them, {@code jobs.control} → the global
 * queue-control store, which tells which queues are paused.
 */
public final class JobStatusTopology {

    /** Job id → {@link JobStatus}, partitioned like {@code jobs.events} (by job id). */
    public static final String STATUS_STORE = "job-status";
    /** {@link QueueStateKey} (encoded) → number of jobs of that queue currently in that state. */
    public static final String COUNTS_STORE = "job-counts";

    private final Serde<String> ids = Serdes.String();
    private final Serde<JobEvent> events = AvroSerde.of(JobEvent.class);
    private final Serde<JobStatus> statuses = AvroSerde.of(JobStatus.class);

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();

        KTable<String, JobStatus> statusByJob = builder
                .stream(TopicCatalog.JOB_EVENTS, Consumed.with(ids, events).withName("job-events"))
                .groupByKey(Grouped.with(ids, events))
                .aggregate(
                        () -> null,
                        (jobId, event, status) -> JobStatusFold.apply(status, event),
                        Named.as("job-status-fold"),
                        Materialized.<String, JobStatus>as(Stores.persistentTimestampedKeyValueStore(STATUS_STORE))
                                .withKeySerde(ids)
                                .withValueSerde(statuses));

        // A KTable re-grouping sends (old, new) for every status change: count() subtracts the
        // job from its previous queue|state and adds it to the new one.
        statusByJob
                .groupBy((jobId, status) -> KeyValue.pair(
                                new QueueStateKey(status.getQueue(), status.getState()).encode(), jobId),
                        Grouped.with("job-counts-by-queue-state", ids, ids))
                .count(Named.as("job-counts-count"),
                        Materialized.<String, Long>as(Stores.persistentTimestampedKeyValueStore(COUNTS_STORE))
                                .withKeySerde(ids)
                                .withValueSerde(Serdes.Long()));

        return QueueControl.addTo(builder.build());
    }
}
