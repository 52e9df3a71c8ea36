package io.jobstream.ingest.scheduler;

import java.time.Instant;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.scheduler.JobScheduler;
import io.jobstream.events.Schedule;
import io.jobstream.ingest.admin.UnknownQueueException;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/** Creates, replaces and deletes schedulers: definitions and tombstones on {@code jobs.schedules}. */
@Service
public class JobSchedulers {

    private static final Logger log = LoggerFactory.getLogger(JobSchedulers.class);

    private final JobPublisher publisher;
    private final QueueProperties queues;
    private final JsonMapper json;

    public JobSchedulers(JobPublisher publisher, QueueProperties queues, JsonMapper json) {
        this.publisher = publisher;
        this.queues = queues;
        this.json = json;
    }

    /**
     * The definition a request asks for.
     *
     * @throws UnknownQueueException when the queue is not declared
     * @throws io.jobstream.ingest.api.BadRequestException naming the field that cannot be accepted
     */
    public Schedule define(String queue, String id, SchedulerRequest request) {
        requireDeclared(queue);
        return SchedulerDefinitions.toSchedule(queue, id, request, json, Instant.now());
    }

    /**
     * Publishes the definition; the scheduler's task picks it up and fires from its next tick.
     *
     * @return the scheduler as it will stand (its count and last run are the store's)
     */
    public SchedulerView publish(Schedule definition) {
        String id = definition.getSchedulerId();
        publisher.inTransaction(batch -> batch.publish(TopicCatalog.JOB_SCHEDULES, id, definition));
        log.info("job scheduler published schedulerId={} queue={} pattern={} every={}",
                id, definition.getQueue(), definition.getPattern(), definition.getEvery());
        return SchedulerView.of(JobScheduler.upserted(definition, null, definition.getUpdatedAt()), json);
    }

    public void delete(String id) {
        publisher.inTransaction(batch -> batch.delete(TopicCatalog.JOB_SCHEDULES, id));
        log.info("job scheduler deleted schedulerId={}", id);
    }

    void requireDeclared(String queue) {
        if (queues.declared(queue).isEmpty()) {
            throw new UnknownQueueException(queue, String.join(", ", new TreeMap<>(queues.queues()).keySet()));
        }
    }
}
