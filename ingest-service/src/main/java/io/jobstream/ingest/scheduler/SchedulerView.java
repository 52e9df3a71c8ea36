package io.jobstream.ingest.scheduler;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jobstream.core.scheduler.JobScheduler;
import io.jobstream.events.JobOptions;
import io.jobstream.events.Schedule;
import io.jobstream.ingest.scheduler.SchedulerRequest.Backoff;
import io.jobstream.ingest.scheduler.SchedulerRequest.Opts;
import io.jobstream.ingest.scheduler.SchedulerRequest.Template;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scheduler as the API shows it: its definition in the request's shape, and where it stands.
 *
 * @param nextRun the next tick; absent when it is done (limit reached, end date passed)
 * @param lastRun the last tick fired; absent before the first
 * @param count   jobs added so far
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchedulerView(String id, String queue, String pattern, String tz, Long every, Instant startDate,
                            Instant endDate, Integer limit, Template template, Instant nextRun, Instant lastRun, long count) {

    static SchedulerView of(JobScheduler scheduler, JsonMapper json) {
        Schedule definition = scheduler.definition();
        JobOptions options = definition.getTemplate().getOptions();
        Backoff backoff = options.getBackoffType() == null && options.getBackoffDelayMillis() == null ? null
                : new Backoff(options.getBackoffType(), options.getBackoffDelayMillis());
        Opts opts = new Opts(options.getPriority(), options.getDelayMillis(), options.getAttempts(), backoff,
                options.getTimeoutMillis(), options.getRemoveOnComplete(), options.getRemoveOnFail());
        Template template = new Template(definition.getTemplate().getName(),
                json.readTree(definition.getTemplate().getData()), opts);
        return new SchedulerView(scheduler.id(), definition.getQueue(), definition.getPattern(), definition.getTimezone(),
                definition.getEvery(), definition.getStartDate(), definition.getEndDate(), definition.getLimit(), template,
                scheduler.nextRun(), scheduler.lastRun(), scheduler.count());
    }
}
