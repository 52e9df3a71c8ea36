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

    /** 2 adds each child's completed follow-ups; 1 is still read. */
    private static final byte VERSION = 2;

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
                out.writeInt(child.followUpsDone().size());
                for (String followUp : child.followUpsDone()) {
                    text(out, followUp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static FlowState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION && version != 1) {
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
                Set<String> followUpsDone = new LinkedHashSet<>();
                for (int n = version == 1 ? 0 : in.readInt(); n > 0; n--) {
                    followUpsDone.add(text(in));
                }
                children[i] = new FlowState.Child(outcome, returnValue, error, Set.copyOf(followUpsDone));
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

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
