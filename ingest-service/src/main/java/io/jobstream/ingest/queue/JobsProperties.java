package io.jobstream.ingest.queue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the add-job routes.
 *
 * @param maxDataSize one job's data as JSON; larger is refused with 413
 */
@ConfigurationProperties("jobstream.ingest.jobs")
public record JobsProperties(@DefaultValue("512KB") DataSize maxDataSize) {
}
