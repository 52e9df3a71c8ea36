package io.jobstream.ingest.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.JobState;
import io.jobstream.ingest.admin.JobAdmin;
import io.jobstream.ingest.api.ApiResponses.CompletedResult;
import io.jobstream.ingest.api.ApiResponses.FailedResult;
import io.jobstream.ingest.api.ApiResponses.JobActionResponse;
import io.jobstream.ingest.api.ApiResponses.JobListResponse;
import io.jobstream.ingest.api.ApiResponses.JobResponse;
import io.jobstream.ingest.api.ApiResponses.ResultResponse;
import io.jobstream.ingest.api.ApiResponses.UnfinishedResult;
import io.jobstream.ingest.query.JobFilter;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobPage;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.FailedAttempt;
import io.jobstream.ingest.query.LogLine;
import io.jobstream.ingest.query.StatusUnavailableException;

/** Job status, result, listing, cancel and retry: the generic {@code /api/jobs} API over the job-status store. */
@RestController
@RequestMapping("/api/jobs")
public class JobController {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;

    private final JobStatusQueries queries;
    private final JobViews views;
    private final JobAdmin admin;

    public JobController(JobStatusQueries queries, JobViews views, JobAdmin admin) {
        this.queries = queries;
        this.views = views;
        this.admin = admin;
    }

    @GetMapping("/{id}")
    public JobResponse job(@PathVariable String id) {
        return new JobResponse(views.of(queries.require(id)));
    }

    /** The agent queue API's result shapes: the result, "still processing", or "failed". */
    @GetMapping("/{id}/result")
    public ResultResponse result(@PathVariable String id) {
        return views.result(queries.require(id));
    }

    @GetMapping
    public JobListResponse list(@RequestParam(required = false) String queue,
                                @RequestParam(required = false) String state,
                                @RequestParam(required = false) String limit,
                                @RequestParam(required = false) String offset,
                                @RequestParam(required = false) String idPrefix) {
        int pageSize = RequestNumbers.count("limit", limit, DEFAULT_LIMIT, MAX_LIMIT);
        int skip = RequestNumbers.count("offset", offset, 0, Integer.MAX_VALUE);
        JobFilter filter = new JobFilter(blankToNull(queue), states(state), blankToNull(idPrefix));
        JobPage page = queries.list(filter, skip, pageSize);
        return new JobListResponse(page.total(), pageSize, skip, page.jobs().stream().map(views::of).toList());
    }

    /**
     * Cancels a waiting, delayed or active job (409 when it has already finished); with
     * {@code remove=true}, removes a finished job instead (BullMQ's {@code job.remove()}; 409 while unfinished).
     */
    @DeleteMapping("/{id}")
    public JobActionResponse cancel(@PathVariable String id, @RequestParam(required = false) String remove) {
        if (RequestNumbers.flag("remove", remove)) {
            JobSnapshot removed = admin.remove(id);
            return new JobActionResponse("Job removed", id, JobStatusWords.of(removed.state()));
        }
        JobSnapshot before = admin.cancel(id);
        return new JobActionResponse("Job cancelled successfully", id, JobStatusWords.of(before.state()));
    }

    /** A delayed job runs now (BullMQ's {@code job.promote()}); 409 unless delayed. */
    @PostMapping("/{id}/promote")
    public JobActionResponse promote(@PathVariable String id) {
        admin.promote(id);
        return new JobActionResponse("Job promoted", id, JobStatusWords.of(JobState.QUEUED));
    }

    /** The lines the job's handler logged (BullMQ's {@code job.log} / {@code getJobLogs}), oldest first. */
    @GetMapping("/{id}/logs")
    public LogsResponse logs(@PathVariable String id) {
        List<LogLine> lines = queries.logs(id);
        return new LogsResponse(true, id, lines.size(), lines);
    }

    /**
     * Every failed attempt of the job with its error and stack, oldest first, and whether it was
     * retried, dead-lettered or failed for good (BullMQ's {@code job.stacktrace}, with more per entry).
     */
    @GetMapping("/{id}/attempts")
    public AttemptsResponse attempts(@PathVariable String id) {
        List<FailedAttempt> attempts = queries.attempts(id);
        return new AttemptsResponse(true, id, attempts.size(), attempts);
    }

    public record AttemptsResponse(boolean success, String jobId, int count, List<FailedAttempt> attempts) {
    }

    public record LogsResponse(boolean success, String jobId, int count, List<LogLine> logs) {
    }

    /** Runs a failed (dead-lettered) job again from its original record, or a flow's failed children; 409 unless failed. */
    @PostMapping("/{id}/retry")
    public JobActionResponse retry(@PathVariable String id) {
        List<SubmittedJob> retried = admin.retry(id);
        return new JobActionResponse("Job retry initiated", id, JobStatusWords.of(retried.getFirst().state()));
    }

    private static Set<JobState> states(String state) {
        if (state == null || state.isBlank()) {
            return Set.of();
        }
        Optional<Set<JobState>> states = JobStatusWords.parseFilter(state);
        return states.orElseThrow(() -> new BadRequestException("state",
                "unknown state '" + state + "'; expected " + JobStatusWords.accepted()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
