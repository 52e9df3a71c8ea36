package io.jobstream.ingest.document;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jobstream.events.JobState;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.jobs.DocumentJobs;

/**
 * Seed 002's job shape: {@code jobId, fileName, status, progress, message} and {@code steps} with
 * each step's status and progress, derived from the one document job's status: the steps before
 * its current step are complete, the current one is running (or failed, or cancelled), the rest
 * pending. {@code progress} is the whole pipeline's, each step counting for a quarter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DocumentJobView(String jobId, String fileName, String status, int progress, String message,
                              Map<String, StepView> steps, String state, int attempt, String error,
                              Instant createdAt, Instant finishedAt) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETE = "complete";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public record StepView(String status, int progress) {
    }

    static DocumentJobView of(JobSnapshot job, String fileName) {
        int count = DocumentJobs.STEPS.size();
        // The step running now and how far it is; a step that reported 100 has handed the job on.
        int current = DocumentJobs.stepOf(job.step()).map(DocumentJobs.Step::index).orElse(0);
        int currentProgress = job.step() == null ? 0 : job.progress();
        if (currentProgress >= 100 && current < count - 1 && job.state() != JobState.COMPLETED) {
            current++;
            currentProgress = 0;
        }
        Map<String, StepView> steps = new LinkedHashMap<>();
        for (DocumentJobs.Step step : DocumentJobs.STEPS) {
            steps.put(step.name(), stepView(job.state(), step.index(), current, currentProgress));
        }
        int progress = job.state() == JobState.COMPLETED ? 100 : (current * 100 + currentProgress) / count;
        DocumentJobs.Step step = DocumentJobs.STEPS.get(current);
        return new DocumentJobView(job.jobId(), fileName, status(job.state(), step), progress, message(job, step),
                steps, job.state().name(), job.attempt(), job.errorMessage(), job.enqueuedAt(), job.finishedAt());
    }

    private static StepView stepView(JobState state, int index, int current, int currentProgress) {
        if (state == JobState.COMPLETED || index < current) {
            return new StepView(COMPLETE, 100);
        }
        if (index > current) {
            return new StepView(PENDING, 0);
        }
        return switch (state) {
            case QUEUED, DELAYED -> new StepView(PENDING, 0);
            case FAILED, DEAD_LETTERED -> new StepView(FAILED, currentProgress);
            case CANCELLED, REMOVED -> new StepView(CANCELLED, currentProgress);
            case ACTIVE, PROGRESS, RETRY_SCHEDULED, COMPLETED -> new StepView(RUNNING, currentProgress);
        };
    }

    /** Seed 002's status words: queued, extracting, classifying, recognizing, ingesting, then how it ended. */
    private static String status(JobState state, DocumentJobs.Step step) {
        return switch (state) {
            case QUEUED, DELAYED -> step.index() == 0 ? "queued" : working(step);
            case ACTIVE, PROGRESS, RETRY_SCHEDULED -> working(step);
            case COMPLETED -> "completed";
            case FAILED, DEAD_LETTERED -> "failed";
            case CANCELLED -> "cancelled";
            case REMOVED -> "removed";
        };
    }

    private static String working(DocumentJobs.Step step) {
        return switch (step.name()) {
            case "extraction" -> "extracting";
            case "classification" -> "classifying";
            case "ner" -> "recognizing";
            default -> "ingesting";
        };
    }

    private static String message(JobSnapshot job, DocumentJobs.Step step) {
        return switch (job.state()) {
            case QUEUED, DELAYED -> "Waiting for " + step.name();
            case ACTIVE, PROGRESS -> "Running " + step.name();
            case RETRY_SCHEDULED -> "Retrying " + step.name() + " after: " + job.errorMessage();
            case COMPLETED -> "Document processed";
            case FAILED, DEAD_LETTERED -> "Failed at " + step.name() + ": " + job.errorMessage();
            case CANCELLED -> "Cancelled at " + step.name();
            case REMOVED -> "Removed";
        };
    }
}
