package io.jobstream.ingest.api;

import org.springframework.stereotype.Component;

import io.jobstream.ingest.query.JobSnapshot;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns stored job statuses into {@link JobView}s, parsing the JSON that jobs carry. */
@Component
public class JobViews {

    private final JsonMapper json;

    public JobViews(JsonMapper json) {
        this.json = json;
    }

    public JobView of(JobSnapshot job) {
        JsonNode returnValue = parse(job.returnValue());
        boolean failed = job.errorClass() != null || job.errorMessage() != null;
        return new JobView(
                job.jobId(),
                job.queue(),
                job.jobType(),
                JobStatusWords.of(job.state()),
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
            case QUEUED, DELAYED, ACTIVE, PROGRESS, CANCELLED -> job.attempt() - 1;
        };
    }
}
