package io.jobstream.core.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

import tools.jackson.databind.JsonNode;

/**
 * Plain JSON (what {@code queue.add(name, data)} sends) to an Avro record: nullable fields take a
 * value or null without Avro's union wrapping, timestamps take epoch millis or ISO-8601, and
 * missing fields take their schema default. A record field named {@code jobId} without a value
 * takes the job's id. Errors name the field: {@code data.metadata.batchSize: expected a string}.
 */
public final class JsonToAvro<V extends SpecificRecord> {

    private static final String JOB_ID_FIELD = "jobId";

    private final Class<V> type;
    private final Schema schema;

    public JsonToAvro(Class<V> type) {
        this.type = type;
        this.schema = SpecificData.getForClass(type).getSchema(type);
    }

    /** @throws IllegalArgumentException naming the first field that does not fit the schema */
    public V convert(JsonNode data, String jobId) {
        Object generic = value(data, schema, "data", jobId);
        // Through the binary form, so logical types come out as the generated class declares them.
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<>(schema).write(generic, encoder);
            encoder.flush();
            SpecificDatumReader<V> reader = new SpecificDatumReader<>(type);
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("data: does not fit " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    private static Object value(JsonNode node, Schema schema, String path, String jobId) {
        return switch (schema.getType()) {
            case NULL -> {
                require(node == null || node.isNull(), path, "expected null");
                yield null;
            }
            case UNION -> union(node, schema, path, jobId);
            case RECORD -> record(node, schema, path, jobId);
            case STRING -> {
                require(node != null && node.isValueNode() && !node.isNull(), path, "expected a string");
                yield node.asString();
            }
            case INT -> {
                require(node != null && node.canConvertToInt() && node.isIntegralNumber(), path, "expected a whole number");
                yield node.intValue();
            }
            case LONG -> longValue(node, schema, path);
            case FLOAT, DOUBLE -> {
                require(node != null && node.isNumber(), path, "expected a number");
                yield schema.getType() == Schema.Type.FLOAT ? (Object) node.floatValue() : (Object) node.doubleValue();
            }
            case BOOLEAN -> {
                require(node != null && node.isBoolean(), path, "expected true or false");
                yield node.booleanValue();
            }
            case ENUM -> {
                require(node != null && node.isString() && schema.getEnumSymbols().contains(node.asString()), path,
                        "expected one of " + schema.getEnumSymbols());
                yield new GenericData.EnumSymbol(schema, node.asString());
            }
            case ARRAY -> {
                require(node != null && node.isArray(), path, "expected an array");
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(value(node.get(i), schema.getElementType(), path + "[" + i + "]", jobId));
                }
                yield items;
            }
            case MAP -> {
                require(node != null && node.isObject(), path, "expected an object");
                Map<String, Object> entries = new LinkedHashMap<>();
                node.properties().forEach(entry ->
                        entries.put(entry.getKey(), value(entry.getValue(), schema.getValueType(), path + "." + entry.getKey(), jobId)));
                yield entries;
            }
            case BYTES, FIXED -> throw new IllegalArgumentException(path + ": binary fields cannot be given as JSON");
        };
    }

    private static Object union(JsonNode node, Schema union, String path, String jobId) {
        if ((node == null || node.isNull()) && union.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
            return null;
        }
        IllegalArgumentException last = null;
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return value(node, branch, path, jobId);
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw last != null ? last : new IllegalArgumentException(path + ": expected null");
    }

    private static GenericRecord record(JsonNode node, Schema schema, String path, String jobId) {
        require(node != null && node.isObject(), path, "expected an object");
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode given = node.get(field.name());
            String fieldPath = path + "." + field.name();
            if (given != null) {
                record.put(field.pos(), value(given, field.schema(), fieldPath, jobId));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().deepCopy(field.schema(), GenericData.get().getDefaultValue(field)));
            } else if (JOB_ID_FIELD.equals(field.name()) && jobId != null) {
                record.put(field.pos(), jobId);
            } else {
                throw new IllegalArgumentException(fieldPath + ": is required");
            }
        }
        return record;
    }

    private static long longValue(JsonNode node, Schema schema, String path) {
        boolean timestamp = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
        if (timestamp && node != null && node.isString()) {
            try {
                return Instant.parse(node.asString()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path + ": expected an ISO-8601 instant or epoch milliseconds");
            }
        }
        require(node != null && node.isIntegralNumber() && node.canConvertToLong(), path,
                timestamp ? "expected an ISO-8601 instant or epoch milliseconds" : "expected a whole number");
        return node.longValue();
    }

    private static void require(boolean condition, String path, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(path + ": " + reason);
        }
    }
}
