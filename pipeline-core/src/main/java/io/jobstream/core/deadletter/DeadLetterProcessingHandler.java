package io.jobstream.core.deadletter;

import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.async.OutcomeForwardingException;
import io.jobstream.core.database.DatabaseOutages;

/**
 * Kafka Streams' processing handler (KIP-1033/1034): when a processor throws on a record, the
 * source record it came from is dead-lettered and the stream goes on, instead of the thread
 * failing on the same record again and again. Failures inside a punctuation have no source record;
 * those, and failures on another job's outcome forwarded by an AsyncStep, still fail the task, so
 * the work is retried from the last commit rather than lost or blamed on the wrong record. So does a
 * database that does not answer ({@link DatabaseOutages}): that is no fault of the record's.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null || context.sourceRawValue() == null || blamesAnotherRecord(exception)) {
            log.error("processing failed, not on account of the current record node={} task={}",
                    context.processorNodeId(), context.taskId(), exception);
            return Response.fail();
        }
        if (DatabaseOutages.isOutage(exception)) {
            // A good record: the thread is replaced and the record processed again from the last commit.
            log.error("processing failed, the database does not answer topic={} partition={} offset={} node={}",
                    context.topic(), context.partition(), context.offset(), context.processorNodeId(), exception);
            return Response.fail();
        }
        var deadLetter = DeadLetterRecords.of(context.topic(), context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), context.headers(),
                exception, context.processorNodeId());
        log.error("record dead-lettered after a processing failure topic={} partition={} offset={} node={} deadLetterTopic={}",
                context.topic(), context.partition(), context.offset(), context.processorNodeId(), deadLetter.topic(), exception);
        return Response.resume(List.of(deadLetter));
    }

    private static boolean blamesAnotherRecord(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutcomeForwardingException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Routing comes from the topic catalog; nothing to configure.
    }
}
