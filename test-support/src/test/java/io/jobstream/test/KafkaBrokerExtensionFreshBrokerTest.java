package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A second class with the same topic: it only works if every class gets a broker of its own. */
class KafkaBrokerExtensionFreshBrokerTest {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void startsWithoutTheOtherClassesTopics() throws Exception {
        kafka.createTopics(List.of(new NewTopic("self-test", 1, (short) 1)));

        assertThat(kafka.admin().listTopics().names().get(10, TimeUnit.SECONDS)).containsExactly("self-test");
    }
}
