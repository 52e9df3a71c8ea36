package io.jobstream.ingest.support;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.JobEvent;
import io.jobstream.topics.TopicCatalog;

/** Publishes job events to jobs.events keyed by job id, as processors do. */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, JobEvent> producer;

    public EventPublisher(String bootstrapServers) {
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), AvroSerde.of(JobEvent.class).serializer());
    }

    /** Sends in order and waits for the broker, so the events are readable when this returns. */
    public void publish(JobEvent... events) {
        try {
            for (JobEvent event : events) {
                producer.send(new ProducerRecord<>(TopicCatalog.JOB_EVENTS, event.getJobId(), event)).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish job events", e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
