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
        return new JobResponse(views.of(require(id)));
    }

    /** The agent queue API's result shapes: the result, "still processing", or "failed". */
    @GetMapping("/{id}/result")
    public ResultResponse result(@PathVariable String id) {
        JobSnapshot job = require(id);
        return switch (job.state()) {
            case COMPLETED -> new CompletedResult(views.parse(job.returnValue()));
            case FAILED, DEAD_LETTERED -> new FailedResult(job.errorMessage());
            case CANCELLED, REMOVED -> new UnfinishedResult("Job was cancelled", JobStatusWords.of(job.state()), job.progress());
            case QUEUED, DELAYED, ACTIVE, PROGRESS, RETRY_SCHEDULED ->
                    new UnfinishedResult("Job is still processing", JobStatusWords.of(job.state()), job.progress());
        };
    }

    @GetMapping
    public JobListResponse list(@RequestParam(required = false) String queue,
                                @RequestParam(required = false) String state,
                                @RequestParam(required = false) String limit,
                                @RequestParam(required = false) String offset) {
        int pageSize = RequestNumbers.count("limit", limit, DEFAULT_LIMIT, MAX_LIMIT);
        int skip = RequestNumbers.count("offset", offset, 0, Integer.MAX_VALUE);
        JobFilter filter = new JobFilter(blankToNull(queue), states(state));
        JobPage page = queries.list(filter, skip, pageSize);
        return new JobListResponse(page.total(), pageSize, skip, page.jobs().stream().map(views::of).toList());
    }

    /** Cancels a waiting, delayed or active job; 409 when it has already finished. */
    @DeleteMapping("/{id}")
    public JobActionResponse cancel(@PathVariable String id) {
        JobSnapshot before = admin.cancel(id);
        return new JobActionResponse("Job cancelled successfully", id, JobStatusWords.of(before.state()));
    }

    /** Runs a failed (dead-lettered) job again from its original record, or a flow's failed children; 409 unless failed. */
    @PostMapping("/{id}/retry")
    public JobActionResponse retry(@PathVariable String id) {
        List<SubmittedJob> retried = admin.retry(id);
        return new JobActionResponse("Job retry initiated", id, JobStatusWords.of(retried.getFirst().state()));
    }

    private JobSnapshot require(String id) {
        return switch (queries.find(id)) {
            case JobLookup.Found(JobSnapshot job) -> job;
            case JobLookup.Absent() -> throw new JobNotFoundException(id);
            case JobLookup.Unavailable(String reason) -> throw new StatusUnavailableException(reason);
        };
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
