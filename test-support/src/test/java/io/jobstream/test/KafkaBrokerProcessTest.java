package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

class KafkaBrokerProcessTest {

    @Test
    void acknowledgedRecordSurvivesKillAndRestart() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("crash-test", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            RecordMetadata acked = KafkaClients.sendAcknowledged(broker.bootstrapServers(), "crash-test", "job-1", "kept");

            broker.kill();
            broker.restart();

            List<ConsumerRecord<String, String>> records =
                    KafkaClients.readFromStart(broker.bootstrapServers(), "crash-test", 1);
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.offset()).isEqualTo(acked.offset());
                assertThat(record.value()).isEqualTo("kept");
            });
        }
    }
}
