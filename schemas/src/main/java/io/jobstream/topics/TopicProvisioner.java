package io.jobstream.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates catalog topics that do not exist yet; existing topics are left as they are.
 * Brokers should run with auto-creation off, so a topic missing from the catalog fails loudly.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    /**
     * How long a service that starts while the broker is away (restarting, or not up yet) waits for it
     * before it fails: a broker restart takes tens of seconds, a JVM restart by the supervisor longer.
     */
    static final Duration BROKER_PATIENCE = Duration.ofMinutes(3);
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);

    private TopicProvisioner() {
    }

    /**
     * Creation returns before every broker knows the topic; clients that start right away (Kafka
     * Streams) would otherwise see it as missing.
     */
    private static void awaitVisible(Admin admin, List<String> names) throws InterruptedException, ExecutionException,
            TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(names)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics not visible after 30 s: " + names);
            }
            Thread.sleep(50);
        }
    }

    private static Set<String> existingTopics(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + BROKER_PATIENCE.toNanos();
        while (true) {
            try {
                return admin.listTopics().names().get(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException unanswered) {
                boolean brokerAway = unanswered instanceof TimeoutException
                        || unanswered.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
                if (!brokerAway || System.nanoTime() > deadline) {
                    throw unanswered;
                }
                log.warn("kafka broker not answering, waiting for it patience={} error={}", BROKER_PATIENCE, unanswered.toString());
            }
        }
    }

    public static void ensure(Admin admin, Collection<TopicSpec> specs) {
        try {
            Set<String> existing = existingTopics(admin);
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
                            .configs(spec.configs()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                    log.info("topic created topic={}", name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("cannot create topic " + name, e);
                }
            });
            awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics", e);
        }
    }
}
