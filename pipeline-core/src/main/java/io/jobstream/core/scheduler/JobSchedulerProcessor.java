package io.jobstream.core.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.events.Schedule;

/**
 * Keeps the schedulers of its {@code jobs.schedules} partition and fires their due ticks from a
 * wall-clock punctuator. A tick's job record, its event and the scheduler's new state are written
 * in the same Streams transaction, so a tick is fired once, or (after a crash) again with the same job id.
 * Time is the task's clock, never the system's, so tests drive it.
 */
final class JobSchedulerProcessor implements Processor<String, Schedule, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(JobSchedulerProcessor.class);

    private final QueueProperties queues;
    private final Duration tick;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, JobScheduler> schedulers;

    JobSchedulerProcessor(QueueProperties queues, Duration tick) {
        this.queues = queues;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.schedulers = context.getStateStore(JobSchedulerTopology.STORE);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, Schedule> record) {
        String id = record.key();
        if (record.value() == null) {
            if (schedulers.delete(id) != null) {
                log.info("job scheduler removed schedulerId={}", id);
            }
            return;
        }
        Schedule definition = record.value();
        // Its topics would not exist: the producer would block and fail the stream thread.
        if (queues.declared(definition.getQueue()).isEmpty()) {
            log.warn("job scheduler ignored, queue not declared schedulerId={} queue={}", id, definition.getQueue());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        try {
            JobScheduler scheduler = JobScheduler.upserted(definition, schedulers.get(id), now);
            schedulers.put(id, scheduler);
            log.info("job scheduler upserted schedulerId={} queue={} pattern={} every={} nextRun={}",
                    id, definition.getQueue(), definition.getPattern(), definition.getEvery(), scheduler.nextRun());
        } catch (IllegalArgumentException e) {
            log.warn("job scheduler ignored, invalid definition schedulerId={} error={}", id, e.getMessage());
        }
    }

    private void fireDue(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        List<JobScheduler> due = new ArrayList<>();
        try (KeyValueIterator<String, JobScheduler> all = schedulers.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.isDue(now)) {
                    due.add(entry.value);
                }
            });
        }
        due.forEach(scheduler -> fire(scheduler, now));
    }

    private void fire(JobScheduler scheduler, Instant now) {
        Instant tickAt = scheduler.nextRun();
        ScheduledJob job = ScheduledJob.of(scheduler, tickAt, queues, now);
        context.forward(new Record<String, Object>(job.jobId(), job, now.toEpochMilli(), job.headers()),
                JobSchedulerTopology.JOBS_SINK);
        context.forward(new Record<String, Object>(job.jobId(), job.event(), now.toEpochMilli()),
                JobSchedulerTopology.EVENTS_SINK);
        JobScheduler next = scheduler.fired(now);
        schedulers.put(scheduler.id(), next);
        log.debug("job scheduler fired schedulerId={} jobId={} tick={} lateMs={} nextRun={}",
                scheduler.id(), job.jobId(), tickAt, now.toEpochMilli() - tickAt.toEpochMilli(), next.nextRun());
    }
}
