package io.jobstream.ingest.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.ingest.submit.JobIntakeStreams;
import io.jobstream.topics.TopicCatalog;

/**
 * Worker instances connected to each queue: the members of the consumer groups that are assigned a
 * partition of the queue's requests topic (a member per Kafka Streams thread; counted per host), other than
 * ingest-service's job intake, which reads every queue's requests to write their QUEUED events.
 * Asked of the broker at most every few seconds, however many dashboards poll.
 */
@Component
public class QueueWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueWorkers.class);
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final QueueProperties queues;
    private final String intake;
    private Map<String, Integer> latest = Map.of();
    private long latestAtNanos;

    public QueueWorkers(StreamsProperties kafka, QueueProperties queues) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        this.queues = queues;
        this.intake = JobIntakeStreams.applicationId(kafka);
    }

    /** Queue → worker instances consuming it; a queue nobody consumes is 0. */
    public synchronized Map<String, Integer> byQueue() {
        if (latestAtNanos != 0 && System.nanoTime() - latestAtNanos < FRESH_FOR.toNanos()) {
            return latest;
        }
        Map<String, Set<String>> hosts = new HashMap<>();
        queues.queues().keySet().forEach(queue -> hosts.put(queue, new HashSet<>()));
        try {
            List<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .map(GroupListing::groupId).filter(group -> !group.equals(intake)).toList();
            for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
                for (MemberDescription member : group.members()) {
                    for (TopicPartition partition : member.assignment().topicPartitions()) {
                        TopicCatalog.queueOfTopic(partition.topic())
                                .filter(queue -> queue.requests().equals(partition.topic()))
                                .ifPresent(queue -> hosts.computeIfAbsent(queue.queue(), q -> new HashSet<>())
                                        .add(group.groupId() + "@" + member.host()));
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot list the consumers of the queues error={}", e.toString());
            return latest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return latest;
        }
        Map<String, Integer> counts = new HashMap<>();
        hosts.forEach((queue, members) -> counts.put(queue, members.size()));
        latest = Map.copyOf(counts);
        latestAtNanos = System.nanoTime();
        return latest;
    }

    @Override
    public void close() {
        admin.close(TIMEOUT);
    }
}
