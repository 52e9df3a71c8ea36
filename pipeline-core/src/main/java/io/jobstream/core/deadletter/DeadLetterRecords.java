package io.jobstream.core.deadletter;

import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.jobstream.topics.TopicCatalog;

/**
 * Builds the dead-letter copy of a source record: bytes and headers untouched, plus the standard
 * dead-letter headers, for Kafka Streams' exception handlers and plain consumers alike.
 */
public final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    public static ProducerRecord<byte[], byte[]> of(String topic, int partition, long offset, long timestamp,
                                             byte[] key, byte[] value, Headers headers,
                                             Exception error, String processorNode) {
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(
                TopicCatalog.deadLetterTopicFor(topic), null, timestamp, key, value, headers);
        Instant now = Instant.now();
        DeadLetterHeaders.write(deadLetter.headers(), new DeadLetterHeaders.Source(topic, partition, offset),
                error, 0, now, now, processorNode);
        return deadLetter;
    }
}
