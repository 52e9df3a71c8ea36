package io.jobstream.ingest.query;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import io.jobstream.ingest.api.JobNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.events.JobState;
import io.jobstream.events.JobStatus;
import io.jobstream.ingest.query.InternalApi.CountsAnswer;
import io.jobstream.ingest.query.InternalApi.JobsAnswer;
import io.jobstream.ingest.status.JobStatusTopology;

/**
 * Job status queries over all instances of the ingest service.
 *
 * <p>A job lives in one partition of the job-status store, owned by one instance. {@link #find}
 * asks Kafka Streams which instance that is: itself → the local store; another one → that instance's
 * internal route. During a rebalance (no metadata, store not queryable, owner unreachable) it answers
 * from a local standby copy when it has one, else {@link JobLookup.Unavailable}: a 404 is only ever
 * given when the running owner says the job does not exist. Listings and counts ask every instance
 * for its active partitions and merge the answers; if any partition is missing they fail rather than
 * return a partial answer.
 */
@Service
public class JobStatusQueries {

    private static final Logger log = LoggerFactory.getLogger(JobStatusQueries.class);

    private final LocalStatusStore local;
    private final PeerClient peers;

    public JobStatusQueries(LocalStatusStore local, PeerClient peers) {
        this.local = local;
        this.peers = peers;
    }

    /** One job, wherever it lives. */
    public JobLookup find(String jobId) {
        return withOwner(jobId, owner -> {
            HostInfo active = owner.activeHost();
            if (active.equals(local.self())) {
                return fromActiveStore(jobId, owner.partition());
            }
            JobLookup remote = peers.job(active, jobId);
            if (remote instanceof JobLookup.Unavailable(String reason)) {
                log.debug("owner cannot answer, trying local copies jobId={} owner={}:{} reason={}",
                        jobId, active.host(), active.port(), reason);
                return fromAnyLocalCopy(jobId, owner.partition(), reason);
            }
            return remote;
        });
    }

    /**
     * One job that must exist.
     *
     * @throws io.jobstream.ingest.api.JobNotFoundException when its owner says it does not exist
     * @throws StatusUnavailableException while that is not known (rebalance)
     */
    public JobSnapshot require(String jobId) {
        return require(jobId, job -> true);
    }

    /** A job that {@code belongs} accepts; any other is not found here, as with BullMQ's {@code queue.getJob}. */
    public JobSnapshot require(String jobId, Predicate<JobSnapshot> belongs) {
        return switch (find(jobId)) {
            case JobLookup.Found(JobSnapshot job) when belongs.test(job) -> job;
            case JobLookup.Found(JobSnapshot other) -> throw new JobNotFoundException(jobId);
            case JobLookup.Absent() -> throw new JobNotFoundException(jobId);
            case JobLookup.Unavailable(String reason) -> throw new StatusUnavailableException(reason);
        };
    }

    /**
     * The lines a job's handler logged, oldest first, from the instance that owns the job.
     *
     * @throws io.jobstream.ingest.api.JobNotFoundException for an unknown job
     */
    public List<LogLine> logs(String jobId) {
        return fromOwner(jobId, local::logs, peers::logs);
    }

    /** The lines from this instance's store only; what the internal route answers. */
    public List<LogLine> logsLocal(String jobId) {
        return local.logs(jobId, ownerPartition(jobId).partition());
    }

    /**
     * A job's failed attempts with their errors and stacks, oldest first, from the instance that owns the job.
     *
     * @throws io.jobstream.ingest.api.JobNotFoundException for an unknown job
     */
    public List<FailedAttempt> attempts(String jobId) {
        return fromOwner(jobId, local::attempts, peers::attempts);
    }

    /** The failed attempts from this instance's store only; what the internal route answers. */
    public List<FailedAttempt> attemptsLocal(String jobId) {
        return local.attempts(jobId, ownerPartition(jobId).partition());
    }

    /** What the stores beside an existing job's status hold for it: read here when this instance owns it, else asked of the owner. */
    private <T> T fromOwner(String jobId, BiFunction<String, Integer, T> here, BiFunction<HostInfo, String, T> owner) {
        require(jobId);
        KeyQueryMetadata metadata = ownerPartition(jobId);
        return metadata.activeHost().equals(local.self())
                ? here.apply(jobId, metadata.partition())
                : owner.apply(metadata.activeHost(), jobId);
    }

    private KeyQueryMetadata ownerPartition(String jobId) {
        return local.ownerOf(jobId)
                .orElseThrow(() -> new StatusUnavailableException("job-status metadata unavailable (rebalancing)"));
    }

    /** One job from this instance's stores only; what the internal route answers. Never forwards. */
    public JobLookup findLocal(String jobId) {
        return withOwner(jobId, owner -> owner.activeHost().equals(local.self())
                ? fromActiveStore(jobId, owner.partition())
                // Asked as the owner, but the partition has moved: a standby copy may still answer.
                : fromAnyLocalCopy(jobId, owner.partition(),
                        "partition " + owner.partition() + " is owned by " + endpoint(owner.activeHost())));
    }

    /** Answers from the job's owner as {@code answer} decides, or from any local copy while ownership is unknown. */
    private JobLookup withOwner(String jobId, Function<KeyQueryMetadata, JobLookup> answer) {
        Optional<KeyQueryMetadata> owner;
        try {
            owner = local.ownerOf(jobId);
        } catch (StatusUnavailableException e) {
            return fromAnyLocalCopy(jobId, null, e.getMessage());
        }
        return owner.map(answer)
                .orElseGet(() -> fromAnyLocalCopy(jobId, null, "job-status metadata unavailable (rebalancing)"));
    }

    private JobLookup fromActiveStore(String jobId, int partition) {
        try {
            JobStatus status = local.getActive(jobId, partition);
            return status == null ? new JobLookup.Absent() : new JobLookup.Found(JobSnapshot.of(status));
        } catch (StatusUnavailableException e) {
            return fromAnyLocalCopy(jobId, partition, e.getMessage());
        }
    }

    /**
     * A page of jobs matching {@code filter} across all instances, newest first.
     *
     * @throws StatusUnavailableException when some partition cannot answer (rebalance, instance down)
     */
    public JobPage list(JobFilter filter, int offset, int limit) {
        // Each instance returns its newest offset+limit matches: enough for any page of the merge.
        int wanted = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit);
        List<JobsAnswer> answers = askEveryInstance(JobStatusTopology.STATUS_STORE,
                () -> local.scan(filter, wanted), peer -> peers.jobs(peer, filter, wanted), JobsAnswer::partitions);
        long total = answers.stream().mapToLong(JobsAnswer::total).sum();
        List<JobSnapshot> page = answers.stream()
                .flatMap(answer -> answer.jobs().stream())
                .sorted(JobSnapshot.NEWEST_FIRST)
                .skip(offset)
                .limit(limit)
                .toList();
        return new JobPage(total, page);
    }

    /**
     * Jobs per queue (sorted by name) and state, summed over all instances.
     *
     * @throws StatusUnavailableException when some partition cannot answer (rebalance, instance down)
     */
    public Map<String, Map<JobState, Long>> countsByQueue() {
        List<CountsAnswer> answers = askEveryInstance(JobStatusTopology.COUNTS_STORE,
                local::counts, peers::counts, CountsAnswer::partitions);
        Map<String, Map<JobState, Long>> byQueue = new TreeMap<>();
        answers.stream().flatMap(answer -> answer.counts().stream()).forEach(count -> byQueue
                .computeIfAbsent(count.queue(), queue -> new EnumMap<>(JobState.class))
                .merge(count.state(), count.count(), Long::sum));
        return byQueue;
    }

    /** The local part of {@link #list}: what the internal route answers. */
    public JobsAnswer listLocal(JobFilter filter, int limit) {
        return local.scan(filter, limit);
    }

    /** The local part of {@link #countsByQueue}: what the internal route answers. */
    public CountsAnswer countsLocal() {
        return local.counts();
    }

    private static String endpoint(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private JobLookup fromAnyLocalCopy(String jobId, Integer partition, String reason) {
        Optional<JobStatus> copy = local.getAnyCopy(jobId, partition);
        if (copy.isPresent()) {
            log.debug("answered from a local copy jobId={} reason={}", jobId, reason);
            return new JobLookup.Found(JobSnapshot.of(copy.get()));
        }
        log.debug("job status unavailable jobId={} reason={}", jobId, reason);
        return new JobLookup.Unavailable(reason);
    }

    /**
     * Asks every instance hosting {@code store} (this one locally, others over HTTP) in parallel,
     * and checks that together they answered for every partition the metadata assigns.
     */
    private <T> List<T> askEveryInstance(String store, Supplier<T> askLocal, Function<HostInfo, T> askPeer,
                                         Function<T, Set<String>> partitionsOf) {
        if (!local.isRunning()) {
            throw new StatusUnavailableException("this instance is rebalancing");
        }
        List<StreamsMetadata> hosts = local.hostsOf(store);
        if (hosts.isEmpty()) {
            throw new StatusUnavailableException("no instance hosts " + store + " yet");
        }
        List<Future<T>> pending = new ArrayList<>();
        List<T> answers = new ArrayList<>();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (StreamsMetadata host : hosts) {
                HostInfo peer = host.hostInfo();
                pending.add(requests.submit(() -> peer.equals(local.self()) ? askLocal.get() : askPeer.apply(peer)));
            }
            for (Future<T> answer : pending) {
                answers.add(answer.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusUnavailableException unavailable) {
                throw unavailable;
            }
            throw new IllegalStateException("querying " + store + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusUnavailableException("interrupted while querying " + store, e);
        }
        // Two instances claiming a partition, or none, means assignments are moving: totals would be wrong.
        Set<String> answered = new HashSet<>();
        for (T answer : answers) {
            for (String partition : partitionsOf.apply(answer)) {
                if (!answered.add(partition)) {
                    throw new StatusUnavailableException("partition " + partition + " answered twice (rebalancing)");
                }
            }
        }
        Set<String> missing = hosts.stream()
                .flatMap(host -> host.topicPartitions().stream())
                .map(TopicPartition::toString)
                .filter(partition -> !answered.contains(partition))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!missing.isEmpty()) {
            throw new StatusUnavailableException("no answer yet for partitions " + missing);
        }
        return answers;
    }
}
