package io.jobstream.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of a {@link ParkedRecord} for state stores and their changelogs. Versioned by a
 * leading byte so the layout can change without losing parked records.
 */
public final class ParkedRecordSerde implements Serde<ParkedRecord> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<ParkedRecord> serializer() {
        return (topic, record) -> record == null ? null : write(record);
    }

    @Override
    public Deserializer<ParkedRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private static byte[] write(ParkedRecord record) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeNullableString(out, record.key());
            writeNullableBytes(out, record.value());
            out.writeLong(record.timestamp());
            out.writeInt(record.headers().size());
            for (Header header : record.headers()) {
                out.writeUTF(header.key());
                writeNullableBytes(out, header.value());
            }
            writeNullableString(out, record.sourceTopic());
            out.writeInt(record.sourcePartition());
            out.writeLong(record.sourceOffset());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ParkedRecord read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown parked record version " + version);
            }
            String key = readNullableString(in);
            byte[] value = readNullableBytes(in);
            long timestamp = in.readLong();
            int headerCount = in.readInt();
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                headers.add(new RecordHeader(in.readUTF(), readNullableBytes(in)));
            }
            return new ParkedRecord(key, value, timestamp, List.copyOf(headers),
                    readNullableString(in), in.readInt(), in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullableString(DataOutputStream out, String value) throws IOException {
        writeNullableBytes(out, value == null ? null : value.getBytes(UTF_8));
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        byte[] bytes = readNullableBytes(in);
        return bytes == null ? null : new String(bytes, UTF_8);
    }

    private static void writeNullableBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readNullableBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
