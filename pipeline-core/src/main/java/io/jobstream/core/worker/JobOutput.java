package io.jobstream.core.worker;

import org.apache.kafka.streams.KeyValue;

import io.jobstream.core.job.JobMetadata;

/** Turns a finished job into the record its worker publishes (null: publish nothing). */
@FunctionalInterface
public interface JobOutput<V, R, O> {

    KeyValue<String, O> toRecord(JobMetadata job, V input, R result);
}
