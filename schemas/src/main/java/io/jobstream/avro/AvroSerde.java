package io.jobstream.avro;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for one generated Avro class; null stays null (tombstones on compacted topics). */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final WireFormat<T> format;

    public AvroSerde(WireFormat<T> format) {
        this.format = format;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(new SingleObjectWireFormat<>(type));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : format.encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : format.decode(bytes);
    }
}
