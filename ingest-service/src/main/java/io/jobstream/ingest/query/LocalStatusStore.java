package io.jobstream.ingest.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.JobAttempts;
import io.jobstream.events.JobLog;
import io.jobstream.events.JobStatus;
import io.jobstream.ingest.status.JobLogs;
import io.jobstream.ingest.query.InternalApi.CountsAnswer;
import io.jobstream.ingest.query.InternalApi.JobsAnswer;
import io.jobstream.ingest.status.JobStatusTopology;
import io.jobstream.ingest.status.QueueStateKey;

/**
 * This instance's job-status and job-counts stores. Kafka Streams' "not ready" exceptions become
 * {@link StatusUnavailableException}, which callers turn into a standby answer or a 503.
 */
@Component
public class LocalStatusStore {

    private static final Serializer<String> KEYS = new StringSerializer();

    private final ManagedStreams managed;
    private final HostInfo self;

    public LocalStatusStore(ManagedStreams jobStatusStreams) {
        this.managed = jobStatusStreams;
        this.self = HostInfo.buildFromEndpoint(jobStatusStreams.settings().applicationServer());
    }

    /** This instance's application.server, as other instances see it in the metadata. */
    public HostInfo self() {
        return self;
    }

    /** Running and not rebalancing: active stores hold every partition this instance owns. */
    public boolean isRunning() {
        return streams().state() == KafkaStreams.State.RUNNING;
    }

    /** The instance that owns {@code jobId}; empty while the metadata is unknown (rebalance). */
    public Optional<KeyQueryMetadata> ownerOf(String jobId) {
        KafkaStreams streams = streams();
        try {
            KeyQueryMetadata owner = streams.queryMetadataForKey(JobStatusTopology.STATUS_STORE, jobId, KEYS);
            if (owner == null || owner.partition() < 0 || owner.activeHost().equals(HostInfo.unavailable())) {
                return Optional.empty();
            }
            return Optional.of(owner);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            throw new StatusUnavailableException("no metadata for job-status: " + e.getMessage(), e);
        }
    }

    /** Instances hosting {@code store} (active or standby). */
    public List<StreamsMetadata> hostsOf(String store) {
        try {
            return List.copyOf(streams().streamsMetadataForStore(store));
        } catch (IllegalStateException | InvalidStateStoreException e) {
            throw new StatusUnavailableException("no metadata for " + store + ": " + e.getMessage(), e);
        }
    }

    /** From the active copy of {@code partition}; null when the job does not exist there. */
    public JobStatus getActive(String jobId, int partition) {
        KafkaStreams streams = requireRunning();
        try {
            return store(streams, statuses().withPartition(partition)).get(jobId);
        } catch (InvalidStateStoreException e) {
            throw new StatusUnavailableException("partition " + partition + " is not active here: " + e.getMessage(), e);
        }
    }

    /** A job's log lines from the active copy of {@code partition}, oldest first. */
    public List<LogLine> logs(String jobId, int partition) {
        return readActive(JobStatusTopology.LOGS_STORE, partition,
                (ReadOnlyKeyValueStore<String, JobLog> lines) -> JobLogs.of(lines, jobId).stream().map(LogLine::of).toList());
    }

    /** A job's failed attempts from the active copy of {@code partition}, oldest first. */
    public List<FailedAttempt> attempts(String jobId, int partition) {
        return readActive(JobStatusTopology.HISTORY_STORE, partition, (ReadOnlyKeyValueStore<String, JobAttempts> history) -> {
            JobAttempts attempts = history.get(jobId);
            return attempts == null ? List.of() : attempts.getFailures().stream().map(FailedAttempt::of).toList();
        });
    }

    /** What {@code read} finds in the active copy of {@code partition} of one of the job stores. */
    private <V, T> T readActive(String storeName, int partition, Function<ReadOnlyKeyValueStore<String, V>, T> read) {
        KafkaStreams streams = requireRunning();
        try {
            return read.apply(store(streams, StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(
                    storeName, QueryableStoreTypes.keyValueStore()).withPartition(partition)));
        } catch (InvalidStateStoreException e) {
            throw new StatusUnavailableException("partition " + partition + " is not active here: " + e.getMessage(), e);
        }
    }

    /**
     * From any local copy, standbys and restoring copies included; {@code partition} narrows the
     * search when known. Empty when no local copy has the job or none can be read.
     */
    public Optional<JobStatus> getAnyCopy(String jobId, Integer partition) {
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, JobStatus>> query = statuses().enableStaleStores();
            return Optional.ofNullable(store(streams(), partition == null ? query : query.withPartition(partition))
                    .get(jobId));
        } catch (StatusUnavailableException | InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /** Matches in this instance's active partitions: their number and the newest {@code limit}. */
    public JobsAnswer scan(JobFilter filter, int limit) {
        KafkaStreams streams = requireRunning();
        Set<String> partitions = activePartitions(streams);
        long total = 0;
        PriorityQueue<JobSnapshot> newest = new PriorityQueue<>(JobSnapshot.NEWEST_FIRST.reversed());
        try (KeyValueIterator<String, JobStatus> all = store(streams, statuses()).all()) {
            while (all.hasNext()) {
                JobStatus status = all.next().value;
                if (filter.matches(status)) {
                    total++;
                    newest.add(JobSnapshot.of(status));
                    if (newest.size() > limit) {
                        newest.poll();
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new StatusUnavailableException("job-status store changed during the scan: " + e.getMessage(), e);
        }
        requireSamePartitions(partitions);
        List<JobSnapshot> jobs = new ArrayList<>(newest);
        jobs.sort(JobSnapshot.NEWEST_FIRST);
        return new JobsAnswer(total, jobs, partitions);
    }

    /** Job counts per queue and state in this instance's active partitions, each partition's share added up. */
    public CountsAnswer counts() {
        KafkaStreams streams = requireRunning();
        Set<String> partitions = activePartitions(streams);
        Map<String, Long> byKey = new TreeMap<>();
        try (KeyValueIterator<String, Long> all = store(streams, StoreQueryParameters.fromNameAndType(
                JobStatusTopology.COUNTS_STORE, QueryableStoreTypes.<String, Long>keyValueStore())).all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value != null) {
                    byKey.merge(entry.key, entry.value, Long::sum);
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new StatusUnavailableException("job-counts store changed during the scan: " + e.getMessage(), e);
        }
        requireSamePartitions(partitions);
        List<StateCount> counts = new ArrayList<>();
        byKey.forEach((encoded, count) -> {
            if (count != 0) {
                QueueStateKey key = QueueStateKey.decode(encoded);
                counts.add(new StateCount(key.queue(), key.state(), count));
            }
        });
        return new CountsAnswer(counts, partitions);
    }

    private KafkaStreams streams() {
        try {
            return managed.streams();
        } catch (IllegalStateException e) {
            throw new StatusUnavailableException("job-status streams are not running", e);
        }
    }

    private KafkaStreams requireRunning() {
        KafkaStreams streams = streams();
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new StatusUnavailableException("job-status streams are " + state);
        }
        return streams;
    }

    /** A rebalance during a scan may have moved partitions in or out: the answer would be wrong. */
    private void requireSamePartitions(Set<String> before) {
        if (!activePartitions(requireRunning()).equals(before)) {
            throw new StatusUnavailableException("partitions moved during the scan");
        }
    }

    private static <T> T store(KafkaStreams streams, StoreQueryParameters<T> query) {
        try {
            return streams.store(query);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            throw new StatusUnavailableException(query.storeName() + " is not queryable: " + e.getMessage(), e);
        }
    }

    private static StoreQueryParameters<ReadOnlyKeyValueStore<String, JobStatus>> statuses() {
        return StoreQueryParameters.fromNameAndType(JobStatusTopology.STATUS_STORE, QueryableStoreTypes.keyValueStore());
    }

    private static Set<String> activePartitions(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .map(TopicPartition::toString)
                .collect(Collectors.toUnmodifiableSet());
    }
}
