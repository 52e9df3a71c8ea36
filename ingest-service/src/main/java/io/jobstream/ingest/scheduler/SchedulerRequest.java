package io.jobstream.ingest.scheduler;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

/**
 * {@code PUT /api/queues/{queue}/schedulers/{id}}: BullMQ's {@code upsertJobScheduler(id, repeat, template)}.
 *
 * @param pattern   cron, 5 or 6 fields; or
 * @param every     milliseconds between ticks
 * @param tz        the pattern's time zone; UTC when absent
 * @param startDate no tick before it (ISO-8601); every's ticks are aligned to it
 * @param endDate   no tick after it
 * @param limit     at most this many jobs
 */
public record SchedulerRequest(String pattern, String tz, Long every, Instant startDate, Instant endDate, Integer limit,
                               Template template) {

    /** @param data the job's data: a JSON object */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(String name, JsonNode data, Opts opts) {
    }

    /** BullMQ's job options that a scheduled job takes; absent ones are the queue's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Opts(Integer priority, Long delay, Integer attempts, Backoff backoff, Long timeout,
                       Boolean removeOnComplete, Boolean removeOnFail) {
    }

    /** @param type fixed or exponential; @param delay ms */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Backoff(String type, Long delay) {
    }
}
