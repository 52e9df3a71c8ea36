package io.jobstream.ingest.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.springframework.stereotype.Component;

import io.jobstream.core.scheduler.JobScheduler;
import io.jobstream.core.scheduler.JobSchedulerTopology;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/** The schedulers in this instance's active {@code jobs.schedules} partitions. */
@Component
public class LocalSchedulers {

    private final ManagedStreams managed;
    private final JsonMapper json;

    public LocalSchedulers(ManagedStreams jobStatusStreams, JsonMapper json) {
        this.managed = jobStatusStreams;
        this.json = json;
    }

    /** @param partitions the jobs.schedules partitions scanned, so the caller can tell whether every partition answered */
    public record Answer(List<SchedulerView> schedulers, Set<String> partitions) {
    }

    public Answer all() {
        KafkaStreams streams = running();
        Set<String> partitions = activePartitions(streams);
        List<SchedulerView> schedulers = new ArrayList<>();
        try (KeyValueIterator<String, JobScheduler> all = streams.store(StoreQueryParameters.fromNameAndType(
                JobSchedulerTopology.STORE, QueryableStoreTypes.<String, JobScheduler>keyValueStore())).all()) {
            all.forEachRemaining(entry -> schedulers.add(SchedulerView.of(entry.value, json)));
        } catch (IllegalStateException | InvalidStateStoreException e) {
            throw new StatusUnavailableException(JobSchedulerTopology.STORE + " is not queryable: " + e.getMessage(), e);
        }
        // A rebalance during the scan may have moved partitions in or out.
        if (!activePartitions(running()).equals(partitions)) {
            throw new StatusUnavailableException("partitions moved during the scan");
        }
        return new Answer(schedulers, partitions);
    }

    private KafkaStreams running() {
        try {
            KafkaStreams streams = managed.streams();
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw new StatusUnavailableException("streams are " + streams.state());
            }
            return streams;
        } catch (IllegalStateException e) {
            throw new StatusUnavailableException("streams are not running", e);
        }
    }

    static boolean isSchedules(TopicPartition partition) {
        return partition.topic().equals(TopicCatalog.JOB_SCHEDULES);
    }

    private static Set<String> activePartitions(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(LocalSchedulers::isSchedules)
                .map(TopicPartition::toString)
                .collect(Collectors.toUnmodifiableSet());
    }
}
