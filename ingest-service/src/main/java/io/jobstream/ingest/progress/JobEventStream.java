package io.jobstream.ingest.progress;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.JobEvent;
import io.jobstream.topics.TopicCatalog;

/**
 * Live job events for this instance's listeners (the SSE routes). One consumer per instance reads
 * every partition of {@code jobs.events} from its end, without a consumer group: each instance
 * serves its own connections, whatever partitions its status store owns. Records are only decoded
 * while someone listens. (Pausing the consumer instead would need a seek on the first listener,
 * and events between that listener's status read and the seek would be lost.)
 *
 * <p>A plain consumer, not a Spring Kafka listener container (which the content_posts copy uses): a
 * container is built around a consumer group and committed offsets, and this reader has neither on
 * purpose (a group would split the events among the instances; a restart must start at the end, not
 * at a committed offset). Its observation, one per record, would also trace every event of the
 * busiest topic for connections that mostly drop them.
 */
@Component
public class JobEventStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobEventStream.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final Deserializer<JobEvent> events = AvroSerde.of(JobEvent.class).deserializer();
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final String bootstrapServers;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private volatile Thread reader;

    public JobEventStream(StreamsProperties kafka) {
        this.bootstrapServers = kafka.bootstrapServers();
    }

    /** Calls {@code sink} with every event matching {@code filter} from now on, until the returned handle is closed. */
    public AutoCloseable listen(Predicate<JobEvent> filter, Consumer<JobEvent> sink) {
        Listener listener = new Listener(filter, sink);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void run() {
        while (running) {
            try {
                readFromNow();
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("job event stream failed, restarting in {} error={}", BACKOFF, e.toString());
                pause(BACKOFF);
            }
        }
    }

    private void readFromNow() {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        log.info("job event stream reading topic={} partitions={}", TopicCatalog.JOB_EVENTS, partitions.size());
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (!listeners.isEmpty()) {
                    dispatch(record);
                }
            }
        }
    }

    /** The topic's partitions, once it exists: the status topology's start creates it. */
    private List<TopicPartition> partitions() {
        while (running) {
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.JOB_EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            pause(BACKOFF);
        }
        throw new WakeupException();
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        JobEvent event;
        try {
            event = events.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException unreadable) {
            log.debug("unreadable job event skipped partition={} offset={}", record.partition(), record.offset());
            return;
        }
        for (Listener listener : listeners) {
            if (listener.filter().test(event)) {
                try {
                    listener.sink().accept(event);
                } catch (RuntimeException gone) {
                    listeners.remove(listener);
                }
            }
        }
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        reader = Thread.ofVirtual().name("job-event-stream").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (reader != null) {
            consumer.wakeup();
            try {
                reader.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close();
            reader = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Listener(Predicate<JobEvent> filter, Consumer<JobEvent> sink) {
    }
}
