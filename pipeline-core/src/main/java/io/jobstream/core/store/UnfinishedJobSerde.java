package io.jobstream.core.store;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary form of an {@link UnfinishedJob}: version, run, sequence, then the parked record if any. */
public final class UnfinishedJobSerde implements Serde<UnfinishedJob> {

    private static final byte VERSION = 1;
    private static final int HEADER = 1 + Long.BYTES + Long.BYTES;

    private final Serializer<ParkedRecord> parked = new ParkedRecordSerde().serializer();
    private final Deserializer<ParkedRecord> parkedReader = new ParkedRecordSerde().deserializer();

    @Override
    public Serializer<UnfinishedJob> serializer() {
        return (topic, job) -> {
            if (job == null) {
                return null;
            }
            byte[] record = job.parked() == null ? new byte[0] : parked.serialize(topic, job.parked());
            return ByteBuffer.allocate(HEADER + record.length)
                    .put(VERSION).putLong(job.run()).putLong(job.sequence()).put(record).array();
        };
    }

    @Override
    public Deserializer<UnfinishedJob> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalStateException("unknown unfinished job version " + version);
            }
            long run = in.getLong();
            long sequence = in.getLong();
            byte[] record = new byte[in.remaining()];
            in.get(record);
            return new UnfinishedJob(run, sequence, record.length == 0 ? null : parkedReader.deserialize(topic, record));
        };
    }
}
