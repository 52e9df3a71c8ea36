package io.jobstream.ingest.queue;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ingest.api.BadRequestException;
import tools.jackson.databind.JsonNode;

/** {@code queue.add(name, data, opts)} and {@code queue.addBulk(jobs)} over REST, for every declared queue. */
@RestController
@RequestMapping("/api/queues/{queue}/jobs")
public class QueueJobsController {

    static final int MAX_BULK = 1000;

    private final QueueJobs jobs;
    private final JobsProperties properties;

    public QueueJobsController(QueueJobs jobs, JobsProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    public record AddResponse(boolean success, String jobId, String queue, String name, boolean duplicate) {
        static AddResponse of(QueueJobs.Added added) {
            return new AddResponse(true, added.jobId(), added.queue(), added.name(), added.duplicate());
        }
    }

    public record BulkResponse(boolean success, int count, List<AddResponse> jobs) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public AddResponse add(@PathVariable String queue, @RequestBody(required = false) JsonNode body) {
        NewJob job = NewJob.read(body, "", properties.maxDataSize().toBytes());
        return AddResponse.of(jobs.add(queue, List.of(job), "").getFirst());
    }

    /** Up to {@value #MAX_BULK} jobs, as a JSON array or {@code {jobs: [...]}}; all are added or none. */
    @PostMapping("/bulk")
    @ResponseStatus(HttpStatus.CREATED)
    public BulkResponse bulk(@PathVariable String queue, @RequestBody(required = false) JsonNode body) {
        JsonNode list = body != null && body.isObject() ? body.get("jobs") : body;
        String field = body != null && body.isObject() ? "jobs" : "body";
        if (list == null || !list.isArray()) {
            throw new BadRequestException(field, "must be an array of {name, data, opts}");
        }
        if (list.isEmpty() || list.size() > MAX_BULK) {
            throw new BadRequestException(field, "must hold 1 to " + MAX_BULK + " jobs, got " + list.size());
        }
        String prefix = field + "[%d].";
        List<NewJob> parsed = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            parsed.add(NewJob.read(list.get(i), prefix.formatted(i), properties.maxDataSize().toBytes()));
        }
        List<AddResponse> added = jobs.add(queue, parsed, prefix).stream().map(AddResponse::of).toList();
        return new BulkResponse(true, added.size(), added);
    }
}
