package io.jobstream.core.deadletter;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization handler (KIP-1033/1034): an unreadable record is copied, bytes
 * untouched, to its queue's dead-letter topic with the standard dead-letter headers, and the
 * stream goes on with the next record. The DLQ write commits with the task's transaction.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        ProducerRecord<byte[], byte[]> deadLetter = DeadLetterRecords.of(record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.key(), record.value(), record.headers(),
                exception, context.processorNodeId());
        log.warn("unreadable record dead-lettered topic={} partition={} offset={} deadLetterTopic={} error={}",
                record.topic(), record.partition(), record.offset(), deadLetter.topic(), exception.getMessage());
        return Response.resume(List.of(deadLetter));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Routing comes from the topic catalog; nothing to configure.
    }
}
