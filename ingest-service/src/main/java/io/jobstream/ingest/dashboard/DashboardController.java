package io.jobstream.ingest.dashboard;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ingest.queue.DeclaredQueues;

/**
 * The two figures the dashboard needs that the job API does not give: throughput per minute and
 * workers per queue. The pages themselves are static ({@code static/dashboard}, see {@link DashboardPages}).
 */
@RestController
public class DashboardController {

    private final Throughput throughput;
    private final QueueWorkers workers;
    private final DeclaredQueues queues;

    public DashboardController(Throughput throughput, QueueWorkers workers, DeclaredQueues queues) {
        this.throughput = throughput;
        this.workers = workers;
        this.queues = queues;
    }

    /** Completed and failed jobs per minute over the last hour, of one queue or of all. */
    @GetMapping("/api/throughput")
    public ThroughputResponse throughput(@RequestParam(required = false) String queue) {
        String name = queue == null || queue.isBlank() ? null : queues.require(queue).queue();
        return new ThroughputResponse(true, name, throughput.lastHour(name));
    }

    /** Worker instances consuming each declared queue, from the consumer groups' assignments. */
    @GetMapping("/api/workers")
    public WorkersResponse workers() {
        return new WorkersResponse(true, workers.byQueue());
    }

    public record ThroughputResponse(boolean success, String queue, List<Throughput.Minute> minutes) {
    }

    public record WorkersResponse(boolean success, Map<String, Integer> workers) {
    }
}
