package io.jobstream.ingest.api;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ingest.api.ApiResponses.QueueResponse;
import io.jobstream.ingest.api.ApiResponses.QueuesResponse;
import io.jobstream.ingest.query.JobStatusQueries;

/** Jobs per queue and status, summed over every instance's job-counts store. */
@RestController
@RequestMapping("/api/queues")
public class QueueController {

    private final JobStatusQueries queries;

    public QueueController(JobStatusQueries queries) {
        this.queries = queries;
    }

    @GetMapping
    public QueuesResponse queues() {
        return new QueuesResponse(queries.countsByQueue().entrySet().stream()
                .map(queue -> QueueSummary.of(queue.getKey(), queue.getValue()))
                .toList());
    }

    /** A queue without jobs has zero counts rather than a 404: queues exist before their first job. */
    @GetMapping("/{queue}")
    public QueueResponse queue(@PathVariable String queue) {
        return new QueueResponse(QueueSummary.of(queue, queries.countsByQueue().getOrDefault(queue, Map.of())));
    }
}
