package io.jobstream.ingest.scheduler;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

import io.jobstream.core.scheduler.CronSchedule;
import io.jobstream.core.scheduler.JobSchedulerTopology;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobTemplate;
import io.jobstream.events.Schedule;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.scheduler.SchedulerRequest.Opts;
import io.jobstream.ingest.submit.JobIds;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks a scheduler request and turns it into the definition published on {@code jobs.schedules}. */
final class SchedulerDefinitions {

    static final String DEFAULT_TIMEZONE = "UTC";
    /** BullMQ's priority range. */
    private static final int MAX_PRIORITY = 2_097_152;
    private static final Set<String> BACKOFF_TYPES = Set.of("fixed", "exponential");

    private SchedulerDefinitions() {
    }

    /** @throws BadRequestException naming the first field that cannot be accepted */
    static Schedule toSchedule(String queue, String id, SchedulerRequest request, JsonMapper json, Instant now) {
        JobIds.problem(id).ifPresent(problem -> {
            throw new BadRequestException("id", problem);
        });
        boolean cron = request.pattern() != null;
        if (cron == (request.every() != null)) {
            throw new BadRequestException("pattern", cron ? "set pattern or every, not both" : "pattern or every is required");
        }
        String tz = request.tz() == null ? DEFAULT_TIMEZONE : request.tz();
        ZoneId zone;
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new BadRequestException("tz", "is not a time zone: " + tz);
        }
        if (cron) {
            try {
                CronSchedule.parse(request.pattern(), zone);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("pattern", "is not a cron pattern: " + e.getMessage());
            }
        } else if (request.every() < JobSchedulerTopology.TICK.toMillis()) {
            throw new BadRequestException("every", "must be at least " + JobSchedulerTopology.TICK.toMillis() + " ms");
        }
        if (request.startDate() != null && request.endDate() != null && request.endDate().isBefore(request.startDate())) {
            throw new BadRequestException("endDate", "must not be before startDate");
        }
        if (request.limit() != null && request.limit() < 1) {
            throw new BadRequestException("limit", "must be at least 1");
        }
        return Schedule.newBuilder()
                .setSchedulerId(id)
                .setQueue(queue)
                .setPattern(request.pattern())
                .setTimezone(tz)
                .setEvery(request.every())
                .setStartDate(request.startDate())
                .setEndDate(request.endDate())
                .setLimit(request.limit())
                .setTemplate(template(request.template(), json))
                .setUpdatedAt(now)
                .build();
    }

    private static JobTemplate template(SchedulerRequest.Template template, JsonMapper json) {
        if (template == null) {
            throw new BadRequestException("template", "is required");
        }
        if (template.name() == null || template.name().isBlank()) {
            throw new BadRequestException("template.name", "is required");
        }
        JsonNode data = template.data() == null ? json.createObjectNode() : template.data();
        if (!data.isObject()) {
            throw new BadRequestException("template.data", "must be a JSON object");
        }
        return new JobTemplate(template.name(), json.writeValueAsString(data), options(template.opts()));
    }

    private static JobOptions options(Opts opts) {
        if (opts == null) {
            return JobOptions.newBuilder().build();
        }
        require(opts.priority() == null || (opts.priority() >= 1 && opts.priority() <= MAX_PRIORITY),
                "priority", "must be between 1 and " + MAX_PRIORITY);
        require(opts.delay() == null || opts.delay() >= 0, "delay", "must not be negative");
        require(opts.attempts() == null || opts.attempts() >= 1, "attempts", "must be at least 1");
        require(opts.timeout() == null || opts.timeout() > 0, "timeout", "must be positive");
        String backoffType = null;
        Long backoffDelay = null;
        if (opts.backoff() != null) {
            backoffType = opts.backoff().type() == null ? null : opts.backoff().type().toLowerCase(Locale.ROOT);
            require(backoffType == null || BACKOFF_TYPES.contains(backoffType), "backoff.type", "must be fixed or exponential");
            backoffDelay = opts.backoff().delay();
            require(backoffDelay == null || backoffDelay >= 0, "backoff.delay", "must not be negative");
        }
        return JobOptions.newBuilder()
                .setPriority(opts.priority())
                .setDelayMillis(opts.delay())
                .setAttempts(opts.attempts())
                .setBackoffType(backoffType)
                .setBackoffDelayMillis(backoffDelay)
                .setTimeoutMillis(opts.timeout())
                .setRemoveOnComplete(opts.removeOnComplete())
                .setRemoveOnFail(opts.removeOnFail())
                .build();
    }

    private static void require(boolean valid, String option, String reason) {
        if (!valid) {
            throw new BadRequestException("template.opts." + option, reason);
        }
    }
}
