package io.jobstream.ingest.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStates;
import io.jobstream.ingest.queue.DeclaredQueues;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ingest.admin.JobAdmin;
import io.jobstream.ingest.api.ApiResponses.ActionResponse;
import io.jobstream.ingest.api.ApiResponses.CleanResponse;
import io.jobstream.ingest.api.ApiResponses.DeadLetterView;
import io.jobstream.ingest.api.ApiResponses.DeadLettersResponse;
import io.jobstream.ingest.api.ApiResponses.QueueResponse;
import io.jobstream.ingest.api.ApiResponses.ReplayResponse;
import io.jobstream.ingest.api.ApiResponses.QueuesResponse;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.QueuePauses;

/**
 * Jobs per queue and status, summed over every instance's job-counts store, and the queue
 * operations: pause, resume, clean, dead letters.
 */
@RestController
@RequestMapping("/api/queues")
public class QueueController {

    static final long DEFAULT_CLEAN_AGE_MILLIS = Duration.ofHours(24).toMillis();

    private final JobStatusQueries queries;
    private final QueuePauses pauses;
    private final JobAdmin admin;
    private final JobViews views;
    private final DeclaredQueues queues;

    public QueueController(JobStatusQueries queries, QueuePauses pauses, JobAdmin admin, JobViews views, DeclaredQueues queues) {
        this.queues = queues;
        this.queries = queries;
        this.pauses = pauses;
        this.admin = admin;
        this.views = views;
    }

    /** Every declared queue, with zero counts before its first job, and any other queue that still has jobs. */
    @GetMapping
    public QueuesResponse queues() {
        Map<String, Map<JobState, Long>> counts = new TreeMap<>(queries.countsByQueue());
        queues.names().forEach(name -> counts.putIfAbsent(name, Map.of()));
        return new QueuesResponse(counts.entrySet().stream()
                .map(queue -> QueueSummary.of(queue.getKey(), queue.getValue(), pauses.isPaused(queue.getKey())))
                .toList());
    }

    /** Runs every failed job of the queue again (Bull Board's "retry all"). */
    @PostMapping("/{queue}/retry-failed")
    public CountResponse retryFailed(@PathVariable String queue) {
        List<SubmittedJob> retried = admin.retryFailed(queue);
        return new CountResponse(true, "Failed jobs retried", retried.size(), retried.stream().map(SubmittedJob::jobId).toList());
    }

    /** Every delayed job of the queue runs now (BullMQ's {@code queue.promoteJobs()}). */
    @PostMapping("/{queue}/promote-delayed")
    public CountResponse promoteDelayed(@PathVariable String queue) {
        return new CountResponse(true, "Delayed jobs promoted", admin.promoteDelayed(queue), null);
    }

    public record CountResponse(boolean success, String message, int count, List<String> jobIds) {
    }

    @PostMapping("/{queue}/pause")
    public ActionResponse pause(@PathVariable String queue) {
        admin.pause(queue);
        return new ActionResponse("Queue paused");
    }

    @PostMapping("/{queue}/resume")
    public ActionResponse resume(@PathVariable String queue) {
        admin.resume(queue);
        return new ActionResponse("Queue resumed");
    }

    /**
     * Removes finished jobs that finished more than {@code olderThan} ms ago (default 24 h, as BullMQ's
     * clean), of every finished state or only {@code state}: completed, failed or cancelled.
     */
    @PostMapping("/{queue}/clean")
    public CleanResponse clean(@PathVariable String queue, @RequestParam(required = false) String olderThan,
                               @RequestParam(required = false) String state) {
        long millis = RequestNumbers.wholeNumber("olderThan", olderThan, DEFAULT_CLEAN_AGE_MILLIS);
        if (state == null || state.isBlank()) {
            return new CleanResponse("Cleaned jobs older than " + millis + "ms", admin.clean(queue, Duration.ofMillis(millis)));
        }
        Set<JobState> states = JobStatusWords.parseFilter(state)
                .filter(JobStates.FINISHED::containsAll)
                .orElseThrow(() -> new BadRequestException("state", "expected completed, failed or cancelled, got '" + state + "'"));
        int removed = admin.clean(queue, Duration.ofMillis(millis), states);
        return new CleanResponse("Cleaned " + state + " jobs older than " + millis + "ms", removed);
    }

    @GetMapping("/{queue}/dead-letters")
    public DeadLettersResponse deadLetters(@PathVariable String queue, @RequestParam(required = false) String limit,
                                           @RequestParam(required = false) String offset) {
        int pageSize = RequestNumbers.count("limit", limit, JobController.DEFAULT_LIMIT, JobController.MAX_LIMIT);
        int skip = RequestNumbers.count("offset", offset, 0, Integer.MAX_VALUE);
        JobAdmin.DeadLetterPage page = admin.deadLetters(queue, pageSize, skip);
        List<DeadLetterView> letters = page.letters().stream()
                .map(letter -> DeadLetterView.of(letter, views.status(letter.job().jobId())))
                .toList();
        return new DeadLettersResponse(page.total(), pageSize, skip, letters);
    }

    /** Runs every dead-lettered job of the queue again, or only {@code jobId}. */
    @PostMapping("/{queue}/dead-letters/replay")
    public ReplayResponse replay(@PathVariable String queue, @RequestParam(required = false) String jobId) {
        JobAdmin.Replay replay = admin.replay(queue, jobId == null || jobId.isBlank() ? null : jobId.trim());
        return new ReplayResponse(replay.replayed(), replay.skipped());
    }

    /** A declared queue without jobs has zero counts: queues exist before their first job. */
    @GetMapping("/{queue}")
    public QueueResponse queue(@PathVariable String queue) {
        queues.require(queue);
        return new QueueResponse(QueueSummary.of(queue, queries.countsByQueue().getOrDefault(queue, Map.of()),
                pauses.isPaused(queue)));
    }
}
