package io.jobstream.ingest.scheduler;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.jobstream.ingest.scheduler.SchedulerRequest.Opts;

/**
 * Schedulers declared in configuration, e.g. {@code jobstream.schedulers.embed-pending-posts.pattern=0 * * * *}:
 * created at start-up when absent, removed when disabled. The checks and defaults are the API's.
 */
@ConfigurationProperties("jobstream")
public record SchedulerProperties(@DefaultValue Map<String, Declared> schedulers) {

    public SchedulerProperties {
        schedulers = Map.copyOf(schedulers);
    }

    /** @param tz the pattern's time zone; UTC when absent */
    public record Declared(String queue, String pattern, String tz, Long every, @DefaultValue("true") boolean enabled,
                           Template template) {
    }

    /** @param data the job's data: a JSON object, as text */
    public record Template(String name, String data, Opts opts) {
    }
}
