package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerExtensionTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void producesAndConsumesOneRecord() throws Exception {
        kafka.createTopics(List.of(new NewTopic("self-test", 1, (short) 1)));

        KafkaClients.sendAcknowledged(kafka.bootstrapServers(), "self-test", "job-1", "hello");

        List<ConsumerRecord<String, String>> records =
                KafkaClients.readFromStart(kafka.bootstrapServers(), "self-test", 1);
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("job-1");
            assertThat(record.value()).isEqualTo("hello");
        });
    }

    @Test
    void runsOneNodeThatNeverCreatesTopicsOnDemand() throws Exception {
        List<Node> nodes = List.copyOf(kafka.admin().describeCluster().nodes().get(10, TimeUnit.SECONDS));
        assertThat(nodes).hasSize(1);

        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.getFirst().idString());
        Config config = kafka.admin().describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker);
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("1");
    }
}
