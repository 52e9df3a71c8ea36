package io.jobstream.core.job;

import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;

/** Builds the {@link JobEvent} for each lifecycle transition of a job. */
public final class JobEvents {

    /**
     * A failure event carries at most this much of its stack: enough for the handler's frames and
     * its causes, while every kept failure of a job stays small in the status service's store.
     */
    public static final int MAX_STACK_CHARS = 4096;
    /** Frames kept of each exception in the cause chain: the handler's own are the first ones. */
    public static final int FRAMES_PER_ERROR = 12;
    private static final String TRIMMED = "\n\t... (trimmed)";

    private JobEvents() {
    }

    public static JobEvent queued(String queue, JobMetadata job, String dataJson, Instant at) {
        return base(queue, job, JobState.QUEUED, at).setData(dataJson).build();
    }

    public static JobEvent delayed(String queue, JobMetadata job, String dataJson, Instant dueAt, Instant at) {
        return base(queue, job, JobState.DELAYED, at).setData(dataJson).setDueAt(dueAt).build();
    }

    public static JobEvent active(String queue, JobMetadata job, Instant at) {
        return base(queue, job, JobState.ACTIVE, at).setProgress(0).build();
    }

    public static JobEvent progress(String queue, JobMetadata job, int percent, String step, Instant at) {
        return base(queue, job, JobState.PROGRESS, at).setProgress(percent).setStep(step).build();
    }

    public static JobEvent retryScheduled(String queue, JobMetadata job, Throwable error, Instant dueAt, Instant at) {
        return failure(queue, job, JobState.RETRY_SCHEDULED, error, at).setDueAt(dueAt).build();
    }

    public static JobEvent completed(String queue, JobMetadata job, String returnValueJson, Instant at) {
        return base(queue, job, JobState.COMPLETED, at).setProgress(100).setReturnValue(returnValueJson).build();
    }

    public static JobEvent failed(String queue, JobMetadata job, Throwable error, Instant at) {
        return failure(queue, job, JobState.FAILED, error, at).build();
    }

    public static JobEvent deadLettered(String queue, JobMetadata job, Throwable error, Instant at) {
        return failure(queue, job, JobState.DEAD_LETTERED, error, at).build();
    }

    public static JobEvent cancelled(String queue, JobMetadata job, String reason, Instant at) {
        return base(queue, job, JobState.CANCELLED, at).setErrorMessage(reason).build();
    }

    /** Forgets a finished job: the status store deletes it (clean and retention). */
    public static JobEvent removed(String queue, JobMetadata job, Instant at) {
        return base(queue, job, JobState.REMOVED, at).build();
    }

    /**
     * {@code outcome} of an attempt that ended before its worker announced it (no ACTIVE event):
     * it carries the attempt's start instead. Unchanged when {@code startedAt} is null.
     */
    public static JobEvent withStartedAt(JobEvent outcome, Instant startedAt) {
        return startedAt == null ? outcome : JobEvent.newBuilder(outcome).setStartedAt(startedAt).build();
    }

    /**
     * When {@code event} says its attempt started, or null: an ACTIVE event's time, or the start an
     * outcome carries when no ACTIVE was published for its attempt.
     */
    public static Instant startOf(JobEvent event) {
        return event.getState() == JobState.ACTIVE ? event.getTimestamp() : event.getStartedAt();
    }

    private static JobEvent.Builder failure(String queue, JobMetadata job, JobState state, Throwable error, Instant at) {
        return base(queue, job, state, at)
                .setErrorClass(error.getClass().getName())
                .setErrorMessage(String.valueOf(error.getMessage()))
                .setErrorStack(stackOf(error));
    }

    /**
     * The error's stack trace with its causes, each cut at {@link #FRAMES_PER_ERROR} frames so a deep
     * framework stack cannot push the root cause out, and the whole cut at {@link #MAX_STACK_CHARS}.
     */
    static String stackOf(Throwable error) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = error; current != null && seen.add(current); current = current.getCause()) {
            if (current != error) {
                text.append("\nCaused by: ");
            }
            text.append(current);
            StackTraceElement[] frames = current.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, FRAMES_PER_ERROR); i++) {
                text.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > FRAMES_PER_ERROR) {
                text.append("\n\t... ").append(frames.length - FRAMES_PER_ERROR).append(" more");
            }
        }
        return text.length() <= MAX_STACK_CHARS ? text.toString()
                : text.substring(0, MAX_STACK_CHARS - TRIMMED.length()) + TRIMMED;
    }

    private static JobEvent.Builder base(String queue, JobMetadata job, JobState state, Instant at) {
        return JobEvent.newBuilder()
                .setJobId(job.jobId())
                .setQueue(queue)
                .setJobType(job.jobType())
                .setState(state)
                .setAttempt(job.attempt())
                .setStage(job.stage())
                .setMaxAttempts(job.maxAttempts())
                .setEnqueuedAt(job.enqueuedAt())
                .setTimestamp(at)
                .setTraceId(job.traceId())
                .setParentJobId(job.parentJobId())
                .setPriority(job.priority());
    }
}
