package io.jobstream.avro;

/**
 * How an event becomes bytes on a topic. The seam for another format: a schema-registry-backed
 * encoding would be a second implementation, chosen where {@link AvroSerde} is built.
 */
public interface WireFormat<T> {

    byte[] encode(T value);

    T decode(byte[] bytes);
}
