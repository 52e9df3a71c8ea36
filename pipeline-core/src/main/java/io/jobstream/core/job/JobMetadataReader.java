package io.jobstream.core.job;

import org.apache.kafka.common.header.Headers;

/** Reads a record's {@link JobMetadata}, filling what the record lacks from its queue's defaults. */
@FunctionalInterface
public interface JobMetadataReader {

    JobMetadata read(Headers headers, String key, long timestamp);

    static JobMetadataReader forQueue(String queue, int queueMaxAttempts) {
        return (headers, key, timestamp) -> JobMetadata.from(headers, key, queue, queueMaxAttempts, timestamp);
    }
}
