package io.jobstream.core.flow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The flow store's values in a compact binary layout (version byte first); internal to the tracker. */
final class FlowStateSerde {

    /** 3 adds each child's failed follow-ups, 2 its completed ones; 1 and 2 are still read. */
    private static final byte VERSION = 3;

    private FlowStateSerde() {
    }

    static Serde<FlowState> create() {
        Serializer<FlowState> serializer = (topic, state) -> state == null ? null : write(state);
        Deserializer<FlowState> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static byte[] write(FlowState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            text(out, state.parentId());
            text(out, state.queue());
            text(out, state.jobType());
            out.writeInt(state.total());
            out.writeLong(state.enqueuedAt() == null ? -1 : state.enqueuedAt().toEpochMilli());
            text(out, state.data());
            out.writeBoolean(state.active());
            out.writeBoolean(state.finished());
            out.writeInt(state.children().length);
            for (FlowState.Child child : state.children()) {
                out.writeByte(child.outcome().ordinal());
                text(out, child.returnValue());
                text(out, child.error());
                texts(out, child.followUpsDone());
                texts(out, child.followUpsFailed());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static FlowState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version < 1 || version > VERSION) {
                throw new IllegalStateException("unknown flow state version " + version);
            }
            String parentId = text(in);
            String queue = text(in);
            String jobType = text(in);
            int total = in.readInt();
            long enqueuedAt = in.readLong();
            String data = text(in);
            boolean active = in.readBoolean();
            boolean finished = in.readBoolean();
            FlowState.Child[] children = new FlowState.Child[in.readInt()];
            for (int i = 0; i < children.length; i++) {
                FlowState.Outcome outcome = FlowState.Outcome.values()[in.readByte()];
                String returnValue = text(in);
                String error = text(in);
                Set<String> followUpsDone = version >= 2 ? texts(in) : Set.of();
                Set<String> followUpsFailed = version >= 3 ? texts(in) : Set.of();
                children[i] = new FlowState.Child(outcome, returnValue, error, followUpsDone, followUpsFailed);
            }
            return new FlowState(parentId, queue, jobType, total, enqueuedAt < 0 ? null : Instant.ofEpochMilli(enqueuedAt),
                    data, active, finished, children);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void texts(DataOutputStream out, Set<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            text(out, value);
        }
    }

    private static Set<String> texts(DataInputStream in) throws IOException {
        Set<String> values = new LinkedHashSet<>();
        for (int n = in.readInt(); n > 0; n--) {
            values.add(text(in));
        }
        return Set.copyOf(values);
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
