package io.jobstream.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a supervisor does when it finds an instance crashed, before starting it again: takes the instance's
 * static members out of every consumer group. The group then hands their partitions to the surviving
 * instances at once; left alone, it would keep them for the dead member until the member's session timed out
 * or the restarted JVM rejoined under the same name, and the jobs on them would wait that long.
 */
public final class StaticMembers {

    private static final Logger log = LoggerFactory.getLogger(StaticMembers.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private StaticMembers() {
    }

    /**
     * Removes the members named {@code instanceId} or, as Kafka Streams names its stream threads'
     * consumers, {@code instanceId-<n>}.
     *
     * @return the removed members as {@code group/member}; empty when there were none, or the broker did not answer
     */
    public static List<String> remove(String bootstrapServers, String instanceId) {
        Pattern ours = Pattern.compile(Pattern.quote(instanceId) + "(-\\d+)?");
        List<String> removed = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            Collection<String> groups = admin.listGroups().all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .map(GroupListing::groupId).toList();
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (ConsumerGroupDescription group : described.values()) {
                List<MemberToRemove> members = group.members().stream()
                        .map(MemberDescription::groupInstanceId)
                        .flatMap(Optional::stream)
                        .filter(id -> ours.matcher(id).matches())
                        .map(MemberToRemove::new)
                        .toList();
                if (!members.isEmpty()) {
                    admin.removeMembersFromConsumerGroup(group.groupId(), new RemoveMembersFromConsumerGroupOptions(members))
                            .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    members.forEach(member -> removed.add(group.groupId() + "/" + member.groupInstanceId()));
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            // The broker may be down itself (another fault): the member's session then ends it as before.
            log.warn("static members of {} not removed: {}", instanceId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("static members removed for {}: {}", instanceId, removed);
        return removed;
    }
}
