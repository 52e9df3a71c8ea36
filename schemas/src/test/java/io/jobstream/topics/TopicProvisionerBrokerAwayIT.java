package io.jobstream.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerProcess;

/**
 * Found by the chaos run: a processor that started while the broker was restarting could not list the
 * topics within 30 s and exited, so it came back only after its supervisor's restart and a second JVM start.
 * It waits for the broker instead.
 */
class TopicProvisionerBrokerAwayIT {

    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void aServiceStartingWhileTheBrokerIsAwayWaitsForIt() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicSpec topic = new TopicSpec("provisioned-after-outage", 1, Map.of());
            broker.kill();

            long started = System.nanoTime();
            CompletableFuture<Void> provisioned = CompletableFuture.runAsync(() -> TopicProvisioner.ensure(admin, List.of(topic)));
            // Longer than one listing may take: what made a service give up before.
            Await.until(WAIT, "one listing's timeout to pass",
                    () -> provisioned.isDone() || System.nanoTime() - started > TopicProvisioner.LIST_TIMEOUT.toNanos() + 1_000_000_000L);
            assertThat(provisioned).as("provisioning while the broker is away").isNotDone();

            broker.restart();
            provisioned.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic.name());
        }
    }
}
