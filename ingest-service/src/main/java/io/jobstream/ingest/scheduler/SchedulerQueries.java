package io.jobstream.ingest.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.stereotype.Service;

import io.jobstream.core.scheduler.JobSchedulerTopology;
import io.jobstream.ingest.query.LocalStatusStore;
import io.jobstream.ingest.query.PeerClient;
import io.jobstream.ingest.query.StatusUnavailableException;

/**
 * Schedulers over all instances: each answers for its active partitions of the job-schedulers
 * store (this one locally, others on {@link InternalSchedulerController#ROUTE}); if any partition is
 * missing the query fails (503) rather than return a partial list.
 */
@Service
public class SchedulerQueries {

    private final LocalStatusStore instance;
    private final LocalSchedulers local;
    private final PeerClient peers;

    public SchedulerQueries(LocalStatusStore instance, LocalSchedulers local, PeerClient peers) {
        this.instance = instance;
        this.local = local;
        this.peers = peers;
    }

    /** @throws StatusUnavailableException when some partition cannot answer (rebalance, instance down) */
    public List<SchedulerView> all() {
        if (!instance.isRunning()) {
            throw new StatusUnavailableException("this instance is rebalancing");
        }
        List<StreamsMetadata> hosts = instance.hostsOf(JobSchedulerTopology.STORE);
        Set<String> answered = new HashSet<>();
        List<SchedulerView> schedulers = hosts.stream().flatMap(host -> {
            HostInfo peer = host.hostInfo();
            LocalSchedulers.Answer answer = peer.equals(instance.self()) ? local.all()
                    : peers.fetch(peer, InternalSchedulerController.ROUTE, LocalSchedulers.Answer.class);
            for (String partition : answer.partitions()) {
                if (!answered.add(partition)) {
                    throw new StatusUnavailableException("partition " + partition + " answered twice (rebalancing)");
                }
            }
            return answer.schedulers().stream();
        }).toList();
        Set<String> missing = hosts.stream()
                .flatMap(host -> host.topicPartitions().stream())
                .filter(LocalSchedulers::isSchedules)
                .map(TopicPartition::toString)
                .filter(partition -> !answered.contains(partition))
                .collect(Collectors.toCollection(TreeSet::new));
        if (hosts.isEmpty() || !missing.isEmpty()) {
            throw new StatusUnavailableException("no answer yet for job-schedulers partitions " + missing);
        }
        return schedulers;
    }

    public List<SchedulerView> inQueue(String queue) {
        return all().stream().filter(scheduler -> scheduler.queue().equals(queue)).toList();
    }

    /** The scheduler with this id, whatever its queue. */
    public Optional<SchedulerView> find(String id) {
        return all().stream().filter(scheduler -> scheduler.id().equals(id)).findFirst();
    }
}
