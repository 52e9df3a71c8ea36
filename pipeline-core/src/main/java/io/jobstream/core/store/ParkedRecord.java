package io.jobstream.core.store;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record kept in a state store until it is due or done: its key, raw value, headers, and where
 * it was read (for dead-letter headers after a restart).
 */
public record ParkedRecord(String key, byte[] value, long timestamp, List<Header> headers,
                           String sourceTopic, int sourcePartition, long sourceOffset) {

    public static ParkedRecord of(String key, byte[] value, long timestamp, Headers headers,
                                  String sourceTopic, int sourcePartition, long sourceOffset) {
        List<Header> copy = Arrays.stream(headers.toArray())
                .map(h -> (Header) new RecordHeader(h.key(), h.value()))
                .toList();
        return new ParkedRecord(key, value, timestamp, copy, sourceTopic, sourcePartition, sourceOffset);
    }

    /** A fresh, mutable copy of the headers. */
    public Headers headersCopy() {
        RecordHeaders copy = new RecordHeaders();
        headers.forEach(h -> copy.add(h.key(), h.value()));
        return copy;
    }
}
