package io.jobstream.test;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One in-JVM KRaft broker per test class:
 * {@code @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();}
 * With {@code KAFKA_BOOTSTRAP_SERVERS} set, nothing is started and that cluster is used instead.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private EmbeddedKafkaKraftBroker broker;
    private String bootstrapServers;
    private Admin admin;
    // @Nested classes call beforeAll/afterAll again with the same instance: only the class
    // that started the broker stops it.
    private String ownerId;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (ownerId != null) {
            return;
        }
        ownerId = context.getUniqueId();
        String external = System.getenv(BOOTSTRAP_ENV);
        if (external != null && !external.isBlank()) {
            bootstrapServers = external;
            log.info("using kafka at {} from {}", external, BOOTSTRAP_ENV);
            return;
        }
        long start = System.nanoTime();
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(SingleNodeBrokerConfig.properties());
        broker.afterPropertiesSet();
        bootstrapServers = broker.getBrokersAsString();
        log.info("kafka broker started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (!context.getUniqueId().equals(ownerId)) {
            return;
        }
        try {
            if (admin != null) {
                admin.close(ADMIN_TIMEOUT);
            }
        } finally {
            if (broker != null) {
                broker.destroy();
            }
            admin = null;
            broker = null;
            bootstrapServers = null;
            ownerId = null;
        }
    }

    /** {@code host:port} of the broker, for {@code bootstrap.servers}. */
    public synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException(
                    "kafka is not running: register the extension with @RegisterExtension on a static field");
        }
        return bootstrapServers;
    }

    /** An admin client for this broker, shared by the test class and closed after it. */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    /** Creates the topics and waits until the broker has created them. */
    public void createTopics(Collection<NewTopic> topics) {
        try {
            admin().createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + topics, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics " + topics + " not created within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + topics, e);
        }
    }
}
