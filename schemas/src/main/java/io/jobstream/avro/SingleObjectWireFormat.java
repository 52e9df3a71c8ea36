package io.jobstream.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Avro single-object encoding: {@code C3 01}, the writer schema's 8-byte fingerprint, then the
 * binary body. The reader knows the current schema and every kept earlier version, and resolves
 * whichever one wrote the bytes; no schema server is needed.
 */
public final class SingleObjectWireFormat<T extends SpecificRecord> implements WireFormat<T> {

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public SingleObjectWireFormat(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        SchemaHistory.versionsOf(schema.getFullName()).forEach(decoder::addSchema);
    }

    @Override
    public byte[] encode(T value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            encoder.encode(value, out);
            return out.toByteArray();
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException("not a readable " + schema.getFullName() + " record: " + e.getMessage(), e);
        }
    }
}
