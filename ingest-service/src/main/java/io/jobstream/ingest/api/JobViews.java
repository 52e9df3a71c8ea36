package io.jobstream.ingest.api;

import org.springframework.stereotype.Component;

import io.jobstream.events.JobState;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.QueuePauses;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns stored job statuses into {@link JobView}s, parsing the JSON that jobs carry. */
@Component
public class JobViews {

    private final JsonMapper json;
    private final QueuePauses pauses;
    private final JobStatusQueries queries;

    public JobViews(JsonMapper json, QueuePauses pauses, JobStatusQueries queries) {
        this.json = json;
        this.pauses = pauses;
        this.queries = queries;
    }

    /** BullMQ's word for the job: a waiting job of a paused queue is "paused". */
    public String statusWord(JobSnapshot job) {
        return job.state() == JobState.QUEUED && pauses.isPaused(job.queue()) ? "paused" : JobStatusWords.of(job.state());
    }

    /** The status word of a job by id; "removed" when the store no longer has it, "unknown" during a rebalance. */
    public String status(String jobId) {
        return switch (queries.find(jobId)) {
            case JobLookup.Found(JobSnapshot job) -> statusWord(job);
            case JobLookup.Absent() -> JobStatusWords.of(JobState.REMOVED);
            case JobLookup.Unavailable(String reason) -> "unknown";
        };
    }

    public JobView of(JobSnapshot job) {
        JsonNode returnValue = parse(job.returnValue());
        boolean failed = job.errorClass() != null || job.errorMessage() != null;
        return new JobView(
                job.jobId(),
                job.queue(),
                job.jobType(),
                statusWord(job),
                job.state(),
                job.progress(),
                job.step(),
                attemptsMade(job),
                job.maxAttempts(),
                parse(job.data()),
                returnValue,
                returnValue,
                job.errorMessage(),
                failed ? new JobView.JobError(job.errorClass(), job.errorMessage()) : null,
                job.enqueuedAt(),
                job.processedAt(),
                job.finishedAt(),
                job.updatedAt(),
                job.dueAt(),
                job.parentJobId(),
                job.priority(),
                job.traceId());
    }

    /** The agent queue API's result shapes, for every job route: the result, "still processing", or "failed". */
    public ApiResponses.ResultResponse result(JobSnapshot job) {
        return switch (job.state()) {
            case COMPLETED -> new ApiResponses.CompletedResult(parse(job.returnValue()));
            case FAILED, DEAD_LETTERED -> new ApiResponses.FailedResult(job.errorMessage());
            case CANCELLED, REMOVED -> new ApiResponses.UnfinishedResult("Job was cancelled", JobStatusWords.of(job.state()), job.progress());
            case QUEUED, DELAYED, ACTIVE, PROGRESS, RETRY_SCHEDULED ->
                    new ApiResponses.UnfinishedResult("Job is still processing", statusWord(job), job.progress());
        };
    }

    /** A job's JSON; text that is not JSON (a producer's bug) is shown as a string rather than lost. */
    public JsonNode parse(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return json.readTree(raw);
        } catch (JacksonException notJson) {
            return json.getNodeFactory().stringNode(raw);
        }
    }

    /** Finished attempts, as BullMQ counts them: the attempt a job is waiting for or running has not been made yet. */
    private static int attemptsMade(JobSnapshot job) {
        return switch (job.state()) {
            case RETRY_SCHEDULED, COMPLETED, FAILED, DEAD_LETTERED -> job.attempt();
            case QUEUED, DELAYED, ACTIVE, PROGRESS, CANCELLED, REMOVED -> job.attempt() - 1;
        };
    }
}
