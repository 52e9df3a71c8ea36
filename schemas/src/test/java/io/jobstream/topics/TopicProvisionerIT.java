package io.jobstream.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;

/** The provisioner against a real broker with auto-creation off. */
class TopicProvisionerIT {

    private static final long TIMEOUT_SECONDS = 30;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void createsTheWholeCatalogAsSpecifiedAndCanRunAgain() throws Exception {
        TopicProvisioner.ensure(kafka.admin(), TopicCatalog.all());
        // Every service provisions at start-up, so a second run over existing topics must be a no-op.
        assertThatCode(() -> TopicProvisioner.ensure(kafka.admin(), TopicCatalog.all())).doesNotThrowAnyException();

        List<String> names = TopicCatalog.all().stream().map(TopicSpec::name).toList();
        awaitVisible(names);
        Map<String, TopicDescription> descriptions = describe(names);
        Map<String, Config> configs = configs(names);
        assertThat(TopicCatalog.all()).allSatisfy(spec -> {
            assertThat(descriptions.get(spec.name()).partitions()).as("partitions of %s", spec.name())
                    .hasSize(spec.partitions());
            spec.configs().forEach((key, value) -> assertThat(configs.get(spec.name()).get(key).value())
                    .as("%s of %s", key, spec.name())
                    .isEqualTo(value));
        });
    }

    @Test
    void leavesATopicThatAlreadyExistsAsItIs() throws Exception {
        // A name of its own keeps this test independent of the catalog test and of earlier runs.
        String name = "provisioner-it-" + UUID.randomUUID();
        Duration specRetention = Duration.ofHours(1);
        kafka.createTopics(List.of(new NewTopic(name, 2, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        awaitVisible(List.of(name));

        TopicProvisioner.ensure(kafka.admin(), List.of(TopicSpec.deleting(name, 6, specRetention)));

        assertThat(describe(List.of(name)).get(name).partitions()).hasSize(2);
        Config config = configs(List.of(name)).get(name);
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                .isNotEqualTo(Long.toString(specRetention.toMillis()));
    }

    /**
     * A created topic reaches the broker's metadata a moment after the controller acknowledged it;
     * until then listing and describing do not see it.
     */
    private static void awaitVisible(Collection<String> names) {
        Await.until(Duration.ofSeconds(TIMEOUT_SECONDS), "topics " + names + " in the broker's metadata", () -> {
            try {
                return kafka.admin().listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).containsAll(names);
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while listing topics", e);
            }
        });
    }

    private static Map<String, TopicDescription> describe(Collection<String> names) throws Exception {
        return kafka.admin().describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static Map<String, Config> configs(Collection<String> names) throws Exception {
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        return kafka.admin().describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .entrySet().stream()
                .collect(Collectors.toMap(entry -> entry.getKey().name(), Map.Entry::getValue));
    }
}
