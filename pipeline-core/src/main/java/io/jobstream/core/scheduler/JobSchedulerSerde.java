package io.jobstream.core.scheduler;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.events.Schedule;

/**
 * The scheduler store's values: a version byte, next run, last run (epoch ms, -1 for none) and
 * count, then the definition in its Avro wire format, so old definitions stay readable.
 */
public final class JobSchedulerSerde {

    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 3 * Long.BYTES;
    private static final long NONE = -1;

    private JobSchedulerSerde() {
    }

    public static Serde<JobScheduler> create() {
        Serde<Schedule> definitions = AvroSerde.of(Schedule.class);
        Serializer<JobScheduler> serializer = (topic, scheduler) -> {
            if (scheduler == null) {
                return null;
            }
            byte[] definition = definitions.serializer().serialize(topic, scheduler.definition());
            return ByteBuffer.allocate(HEADER + definition.length)
                    .put(VERSION)
                    .putLong(millis(scheduler.nextRun()))
                    .putLong(millis(scheduler.lastRun()))
                    .putLong(scheduler.count())
                    .put(definition)
                    .array();
        };
        Deserializer<JobScheduler> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalStateException("unknown job scheduler version " + version);
            }
            Instant nextRun = instant(in.getLong());
            Instant lastRun = instant(in.getLong());
            long count = in.getLong();
            byte[] definition = new byte[in.remaining()];
            in.get(definition);
            return new JobScheduler(definitions.deserializer().deserialize(topic, definition), nextRun, lastRun, count);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static long millis(Instant at) {
        return at == null ? NONE : at.toEpochMilli();
    }

    private static Instant instant(long millis) {
        return millis == NONE ? null : Instant.ofEpochMilli(millis);
    }
}
