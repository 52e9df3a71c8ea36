package io.jobstream.ingest.scheduler;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.Schedule;
import io.jobstream.ingest.admin.UnknownQueueException;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.scheduler.SchedulerProperties.Declared;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * At start-up (topics exist by then): creates each enabled declared scheduler that
 * {@code jobs.schedules} does not hold, and deletes each disabled one that it holds. One that exists
 * is left as it is, so a scheduler changed through the API keeps its change.
 */
@Component
@EnableConfigurationProperties(SchedulerProperties.class)
public class DeclaredSchedulers implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DeclaredSchedulers.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final SchedulerProperties properties;
    private final JobSchedulers schedulers;
    private final StreamsProperties kafka;
    private final JsonMapper json;

    public DeclaredSchedulers(SchedulerProperties properties, JobSchedulers schedulers, StreamsProperties kafka,
                              JsonMapper json) {
        this.properties = properties;
        this.schedulers = schedulers;
        this.kafka = kafka;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.schedulers().isEmpty()) {
            return;
        }
        Set<String> existing = existingIds();
        properties.schedulers().forEach((id, declared) -> {
            if (declared.enabled() && !existing.contains(id)) {
                schedulers.publish(definition(id, declared));
            } else if (!declared.enabled() && existing.contains(id)) {
                schedulers.delete(id);
            } else {
                log.info("declared job scheduler unchanged schedulerId={} enabled={}", id, declared.enabled());
            }
        });
    }

    /** A declaration the API would refuse stops the service: it is a configuration error. */
    private Schedule definition(String id, Declared declared) {
        try {
            SchedulerProperties.Template template = declared.template();
            SchedulerRequest.Template requested = template == null ? null : new SchedulerRequest.Template(template.name(),
                    template.data() == null ? null : json.readTree(template.data()), template.opts());
            return schedulers.define(declared.queue(), id, new SchedulerRequest(declared.pattern(), declared.tz(),
                    declared.every(), null, null, null, requested));
        } catch (BadRequestException | UnknownQueueException | JacksonException e) {
            throw new IllegalStateException("jobstream.schedulers." + id + ": " + e.getMessage(), e);
        }
    }

    /** The ids jobs.schedules holds now: its committed records read to the end, tombstones removing. */
    private Set<String> existingIds() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.JOB_SCHEDULES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Set<String> ids = new HashSet<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not read " + TopicCatalog.JOB_SCHEDULES + " within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    if (record.value() == null) {
                        ids.remove(record.key());
                    } else {
                        ids.add(record.key());
                    }
                });
            }
            return ids;
        }
    }
}
