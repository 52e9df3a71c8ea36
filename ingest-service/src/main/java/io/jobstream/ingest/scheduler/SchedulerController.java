package io.jobstream.ingest.scheduler;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.events.Schedule;
import io.jobstream.ingest.api.ApiResponses.ActionResponse;
import io.jobstream.core.web.ErrorBody;

/** BullMQ's job schedulers of a queue: upsertJobScheduler, getJobSchedulers, getJobScheduler, removeJobScheduler. */
@RestController
@RequestMapping("/api/queues/{queue}/schedulers")
public class SchedulerController {

    private final JobSchedulers schedulers;
    private final SchedulerQueries queries;

    public SchedulerController(JobSchedulers schedulers, SchedulerQueries queries) {
        this.schedulers = schedulers;
        this.queries = queries;
    }

    public record SchedulerResponse(boolean success, SchedulerView scheduler) {
        public SchedulerResponse(SchedulerView scheduler) {
            this(true, scheduler);
        }
    }

    public record SchedulersResponse(boolean success, int count, List<SchedulerView> schedulers) {
        public SchedulersResponse(List<SchedulerView> schedulers) {
            this(true, schedulers.size(), schedulers);
        }
    }

    /** 201 when the id is new, 200 when it replaces a scheduler. */
    @PutMapping("/{id}")
    public ResponseEntity<SchedulerResponse> upsert(@PathVariable String queue, @PathVariable String id,
                                                    @RequestBody SchedulerRequest request) {
        Schedule definition = schedulers.define(queue, id, request);
        boolean exists = queries.find(id).isPresent();
        SchedulerView scheduler = schedulers.publish(definition);
        return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED).body(new SchedulerResponse(scheduler));
    }

    @GetMapping
    public SchedulersResponse list(@PathVariable String queue) {
        schedulers.requireDeclared(queue);
        return new SchedulersResponse(queries.inQueue(queue));
    }

    @GetMapping("/{id}")
    public SchedulerResponse get(@PathVariable String queue, @PathVariable String id) {
        return new SchedulerResponse(existing(queue, id));
    }

    @DeleteMapping("/{id}")
    public ActionResponse delete(@PathVariable String queue, @PathVariable String id) {
        existing(queue, id);
        schedulers.delete(id);
        return new ActionResponse("Job scheduler removed");
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> notFound(SchedulerNotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(new ErrorBody("Job scheduler not found", "id", e.getMessage()));
    }

    private SchedulerView existing(String queue, String id) {
        schedulers.requireDeclared(queue);
        return queries.find(id)
                .filter(scheduler -> scheduler.queue().equals(queue))
                .orElseThrow(() -> new SchedulerNotFoundException("no scheduler with id " + id + " on queue " + queue));
    }

    static final class SchedulerNotFoundException extends RuntimeException {
        SchedulerNotFoundException(String message) {
            super(message);
        }
    }
}
