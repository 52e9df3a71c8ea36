package io.jobstream.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.topics.TopicCatalog;

/** Events written before JobEvent gained traceId, parentJobId and priority stay readable. */
class SchemaEvolutionTest {

    private static final String TOPIC = TopicCatalog.JOB_EVENTS;
    private static final Instant ENQUEUED_AT = Instant.parse("2025-03-01T10:15:30.123Z");
    private static final Instant TIMESTAMP = Instant.parse("2025-03-01T10:15:31.456Z");
    private static final Instant DUE_AT = Instant.parse("2025-03-01T10:15:41.456Z");

    private final AvroSerde<JobEvent> serde = AvroSerde.of(JobEvent.class);

    @Test
    void readsAnEventWrittenWithTheFirstVersionAsTheCurrentClass() throws IOException {
        Schema v1 = SchemaHistory.versionsOf(JobEvent.getClassSchema().getFullName()).getFirst();
        // Guards the point of this test: v1 really is the schema before the new fields.
        assertThat(v1.getFields()).extracting(Schema.Field::name)
                .doesNotContain("traceId", "parentJobId", "priority");
        GenericRecord written = new GenericRecordBuilder(v1)
                .set("jobId", "product-embedding:42")
                .set("queue", "embedding")
                .set("jobType", "product-embedding")
                .set("state", new GenericData.EnumSymbol(v1.getField("state").schema(), "RETRY_SCHEDULED"))
                .set("attempt", 2)
                .set("maxAttempts", 5)
                // GenericData has no logical-type conversions: timestamp-millis is written as epoch millis.
                .set("enqueuedAt", ENQUEUED_AT.toEpochMilli())
                .set("timestamp", TIMESTAMP.toEpochMilli())
                .set("progress", 40)
                .set("step", "embed")
                .set("dueAt", DUE_AT.toEpochMilli())
                .set("errorClass", "java.net.SocketTimeoutException")
                .set("errorMessage", "read timed out")
                .set("returnValue", "{\"partial\":true}")
                .set("data", "{\"productId\":42}")
                .build();

        JobEvent read = serde.deserializer().deserialize(TOPIC, encode(v1, written));

        assertThat(read).isEqualTo(JobEvent.newBuilder()
                .setJobId("product-embedding:42")
                .setQueue("embedding")
                .setJobType("product-embedding")
                .setState(JobState.RETRY_SCHEDULED)
                .setAttempt(2)
                .setMaxAttempts(5)
                .setEnqueuedAt(ENQUEUED_AT)
                .setTimestamp(TIMESTAMP)
                .setProgress(40)
                .setStep("embed")
                .setDueAt(DUE_AT)
                .setErrorClass("java.net.SocketTimeoutException")
                .setErrorMessage("read timed out")
                .setReturnValue("{\"partial\":true}")
                .setData("{\"productId\":42}")
                .build());
        assertThat(read.getTraceId()).isNull();
        assertThat(read.getParentJobId()).isNull();
        assertThat(read.getPriority()).isNull();
    }

    @Test
    void roundTripsTheCurrentVersion() {
        JobEvent event = currentEvent();

        byte[] bytes = serde.serializer().serialize(TOPIC, event);

        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void writesSingleObjectEncodingWithTheSchemaFingerprint() {
        byte[] bytes = serde.serializer().serialize(TOPIC, currentEvent());

        assertThat(bytes).startsWith((byte) 0xC3, (byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(JobEvent.getClassSchema()));
    }

    @Test
    void rejectsBytesWrittenWithASchemaItDoesNotKnow() throws IOException {
        // A newer producer's JobEvent whose schema this reader was never given.
        Schema unknown = SchemaBuilder.record("JobEvent").namespace("io.jobstream.events").fields()
                .requiredString("jobId")
                .requiredString("tenant")
                .endRecord();
        byte[] bytes = encode(unknown, new GenericRecordBuilder(unknown)
                .set("jobId", "chat:1")
                .set("tenant", "acme")
                .build());

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.jobstream.events.JobEvent");
    }

    @Test
    void keepsNullAsNullForTombstones() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    private static JobEvent currentEvent() {
        return JobEvent.newBuilder()
                .setJobId("chat:7")
                .setQueue("agent.chat")
                .setJobType("chat")
                .setState(JobState.COMPLETED)
                .setEnqueuedAt(ENQUEUED_AT)
                .setTimestamp(TIMESTAMP)
                .setReturnValue("{\"answer\":\"42\"}")
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setParentJobId("batch-chat:3")
                .setPriority(1)
                .build();
    }

    private static byte[] encode(Schema writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record, out);
        return out.toByteArray();
    }
}
