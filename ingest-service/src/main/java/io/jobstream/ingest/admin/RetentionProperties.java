package io.jobstream.ingest.admin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the status store is trimmed to each queue's retention (BullMQ's {@code removeOnComplete} and
 * {@code removeOnFail} as counts and ages), which a queue declares: {@code jobstream.queues.<queue>.retention}.
 *
 * @param interval how often retention runs (on one instance)
 */
@ConfigurationProperties("jobstream.ingest.retention")
public record RetentionProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration interval) {
}
