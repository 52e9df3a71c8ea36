package io.jobstream.core.queue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.header.Headers;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;

/**
 * The generic job envelope ({@link JobRequested}) on a queue's requests topic. Inside jobstream a
 * job's options travel as headers; a record from an external producer may carry them only in the
 * envelope, so they become headers where the record has none.
 */
public final class JobEnvelope {

    private static final AvroSerde<JobRequested> SERDE = AvroSerde.of(JobRequested.class);
    /** Single-object encoding's marker and the envelope's schema fingerprint: how an envelope is told apart. */
    private static final byte[] PREFIX = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
            .put((byte) 0xC3).put((byte) 0x01)
            .putLong(SchemaNormalization.parsingFingerprint64(JobRequested.getClassSchema()))
            .array();

    private JobEnvelope() {
    }

    public static boolean isEnvelope(byte[] bytes) {
        if (bytes == null || bytes.length < PREFIX.length) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (bytes[i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    public static JobRequested decode(byte[] bytes) {
        return SERDE.deserializer().deserialize(null, bytes);
    }

    public static byte[] encode(JobRequested envelope) {
        return SERDE.serializer().serialize(null, envelope);
    }

    /** Writes the envelope's name and options as job headers, leaving any header the record already has. */
    public static void fillHeaders(Headers headers, JobRequested envelope, String key) {
        JobOptions options = envelope.getOptions();
        putIfAbsent(headers, JobHeaders.JOB_ID, options.getJobId() != null ? options.getJobId() : key);
        putIfAbsent(headers, JobHeaders.JOB_TYPE, envelope.getName());
        putIfAbsent(headers, JobHeaders.MAX_ATTEMPTS, options.getAttempts());
        putIfAbsent(headers, JobHeaders.PRIORITY, options.getPriority());
        putIfAbsent(headers, JobHeaders.BACKOFF_TYPE, options.getBackoffType());
        putIfAbsent(headers, JobHeaders.BACKOFF_DELAY, options.getBackoffDelayMillis());
        putIfAbsent(headers, JobHeaders.TIMEOUT, options.getTimeoutMillis());
    }

    /** The submission event, carrying the options that say whether the job is forgotten when it finishes. */
    public static JobEvent withRemoval(JobEvent submitted, JobOptions options) {
        if (options.getRemoveOnComplete() == null && options.getRemoveOnFail() == null) {
            return submitted;
        }
        return JobEvent.newBuilder(submitted)
                .setRemoveOnComplete(options.getRemoveOnComplete())
                .setRemoveOnFail(options.getRemoveOnFail())
                .build();
    }

    private static void putIfAbsent(Headers headers, String name, Object value) {
        if (value != null && headers.lastHeader(name) == null) {
            JobHeaders.put(headers, name, value);
        }
    }
}
