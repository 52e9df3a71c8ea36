package io.jobstream.core.queue;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serdes a worker reads its queue with. Every queue takes the generic envelope (REST's
 * {@code POST /api/queues/{queue}/jobs}, schedulers, external producers); an Avro queue also takes
 * its own payload record, as its built-in producers publish it. A record that fits neither fails
 * deserialization, and the worker dead-letters it with the reason.
 */
public final class JobPayloads {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private JobPayloads() {
    }

    /** A JSON queue: the handler gets the envelope's data as a JSON object. */
    public static Serde<JsonNode> json() {
        Serializer<JsonNode> serializer = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, JsonNode data) {
                return serialize(topic, null, data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, JsonNode data) {
                String name = headers == null ? null : JobHeaders.text(headers, JobHeaders.JOB_TYPE).orElse(null);
                return data == null ? null : JobEnvelope.encode(new JobRequested(name == null ? "job" : name, data.toString(),
                        JobOptions.newBuilder().build()));
            }
        };
        Deserializer<JsonNode> deserializer = new Deserializer<>() {
            @Override
            public JsonNode deserialize(String topic, byte[] data) {
                return deserialize(topic, null, data);
            }

            @Override
            public JsonNode deserialize(String topic, Headers headers, byte[] data) {
                if (data == null) {
                    return null;
                }
                if (!JobEnvelope.isEnvelope(data)) {
                    throw new SerializationException("not a job envelope (io.jobstream.events.JobRequested in Avro single-object encoding)");
                }
                JobRequested envelope = JobEnvelope.decode(data);
                if (headers != null) {
                    JobEnvelope.fillHeaders(headers, envelope, null);
                }
                return parseObject(envelope.getData());
            }
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
    }

    /** An Avro queue: its payload record, or an envelope whose data converts to it. */
    public static <V extends SpecificRecord> Serde<V> avro(Class<V> type) {
        AvroSerde<V> native_ = AvroSerde.of(type);
        JsonToAvro<V> converter = new JsonToAvro<>(type);
        Deserializer<V> deserializer = new Deserializer<>() {
            @Override
            public V deserialize(String topic, byte[] data) {
                return deserialize(topic, null, data);
            }

            @Override
            public V deserialize(String topic, Headers headers, byte[] data) {
                if (!JobEnvelope.isEnvelope(data)) {
                    return native_.deserializer().deserialize(topic, data);
                }
                JobRequested envelope = JobEnvelope.decode(data);
                if (headers != null) {
                    JobEnvelope.fillHeaders(headers, envelope, null);
                }
                String jobId = headers == null ? envelope.getOptions().getJobId()
                        : JobHeaders.text(headers, JobHeaders.JOB_ID).orElse(envelope.getOptions().getJobId());
                try {
                    return converter.convert(parseObject(envelope.getData()), jobId);
                } catch (IllegalArgumentException e) {
                    throw new SerializationException(e.getMessage(), e);
                }
            }
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(native_.serializer(), deserializer);
    }

    static JsonNode parseObject(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.isObject()) {
                throw new SerializationException("data: must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new SerializationException("data: not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
