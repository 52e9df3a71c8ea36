package io.jobstream.ingest.status;

import java.time.Instant;
import java.util.Comparator;

import io.jobstream.core.job.JobEvents;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStates;
import io.jobstream.events.JobStatus;

/**
 * Folds one {@link JobEvent} into a job's {@link JobStatus}, tolerating any arrival order.
 *
 * <p>Events of one job come from different producers (ingest, processors, retry timers), so they
 * can arrive out of order. Each event has a rank (enqueuedAt, stage, attempt, state rank, progress); only
 * a higher rank changes the state. Lower-ranked events still fill fields the status lacks, such
 * as {@code data} from a QUEUED that arrives after ACTIVE. A later {@code enqueuedAt} is a new run of
 * the same job id and starts from scratch; events of an earlier run are ignored. A single add's QUEUED
 * comes from the intake, so it may arrive after its run's ACTIVE or COMPLETED, or after the run it
 * raced has finished.
 */
public final class JobStatusFold {

    private JobStatusFold() {
    }

    /**
     * The status after {@code event}; {@code current} is null for a job not seen before. Null means
     * the job is forgotten: REMOVED deletes it from the store, and so does finishing a job submitted
     * with removeOnComplete or removeOnFail.
     */
    public static JobStatus apply(JobStatus current, JobEvent event) {
        JobStatus next = fold(current, event);
        return next != null && next != current && removedWhenFinished(next) ? null : next;
    }

    private static boolean removedWhenFinished(JobStatus status) {
        return switch (status.getState()) {
            case COMPLETED -> Boolean.TRUE.equals(status.getRemoveOnComplete());
            case FAILED, DEAD_LETTERED -> Boolean.TRUE.equals(status.getRemoveOnFail());
            default -> false;
        };
    }

    private static JobStatus fold(JobStatus current, JobEvent event) {
        if (event.getState() == JobState.REMOVED) {
            return current == null || !event.getEnqueuedAt().isBefore(current.getEnqueuedAt()) ? null : current;
        }
        if (current != null && event.getEnqueuedAt().isAfter(current.getEnqueuedAt()) && racedRun(current, event)) {
            if (tookOver(current, event)) {
                return takeOver(current, event);
            }
            // A run submitted while this one was unfinished is a duplicate (BullMQ job-id semantics): no event
            // of it may hide the run that is really going on. Its worker drops its submission, but a pipeline's
            // first step knows only its own store: once the run is past it, it runs the duplicate, whose events
            // then reopened the finished job (the chaos run's document left "stuck" in PROGRESS).
            return current;
        }
        if (current == null || event.getEnqueuedAt().isAfter(current.getEnqueuedAt())) {
            return startRun(event);
        }
        if (event.getEnqueuedAt().isBefore(current.getEnqueuedAt())) {
            return current;
        }
        if (current.getState() == JobState.CANCELLED) {
            // Final for its run: a worker may still report the attempt it abandoned, or its retry.
            return current;
        }
        JobStatus.Builder next = JobStatus.newBuilder(current);
        fillMissing(next, event);
        if (Rank.of(event).compareTo(Rank.of(current)) > 0) {
            enter(next, event);
        }
        next.setUpdatedAt(latest(current.getUpdatedAt(), event.getTimestamp()));
        return next.build();
    }

    /**
     * Whether the newer run of {@code event} was submitted while {@code current} was unfinished: the run is
     * unfinished still, or finished after the submission. An event of it may arrive after the run it raced
     * has finished (a QUEUED from the intake, a duplicate's first step); the time, not the arrival, tells it
     * apart from a resubmission, whose events all follow the finished run's last one.
     */
    private static boolean racedRun(JobStatus current, JobEvent event) {
        return !JobStates.isTerminal(current.getState())
                || current.getFinishedAt() != null && event.getEnqueuedAt().isBefore(current.getFinishedAt());
    }

    /**
     * Whether the worker runs the later of two runs submitted at once: this one was only submitted, and a worker
     * reports on the later one. Both submissions race to the queue's partition; the worker runs whichever comes
     * first and drops the other, so the run it reports on is the job's run. (A chaos run's document, submitted
     * twice by a client retry during a broker restart, stayed QUEUED for good after its later run had completed.)
     */
    private static boolean tookOver(JobStatus current, JobEvent event) {
        return !JobStates.reachedWorker(current.getState()) && JobStates.reachedWorker(event.getState());
    }

    /** The later run, with what its own (ignored) submission carried taken from the earlier one's. */
    private static JobStatus takeOver(JobStatus submitted, JobEvent event) {
        JobStatus.Builder run = JobStatus.newBuilder(startRun(event));
        Submission.of(submitted).fillMissing(run);
        return run.build();
    }

    private static JobStatus startRun(JobEvent event) {
        JobStatus.Builder status = JobStatus.newBuilder()
                .setJobId(event.getJobId())
                .setQueue(event.getQueue())
                .setJobType(event.getJobType())
                .setEnqueuedAt(event.getEnqueuedAt())
                .setUpdatedAt(event.getTimestamp())
                // A run starts at 0, or where its submission says: a reopened flow keeps what its children did.
                .setProgress(progressOf(event));
        fillMissing(status, event);
        enter(status, event);
        return status.build();
    }

    /** Moves the status into the event's state. */
    private static void enter(JobStatus.Builder status, JobEvent event) {
        Instant at = event.getTimestamp();
        status.setState(event.getState())
                .setStage(event.getStage())
                .setAttempt(event.getAttempt())
                .setMaxAttempts(event.getMaxAttempts());
        if (event.getStep() != null) {
            status.setStep(event.getStep());
        }
        switch (event.getState()) {
            case QUEUED -> status.setDueAt(null);
            case DELAYED -> status.setDueAt(event.getDueAt());
            case RETRY_SCHEDULED -> {
                status.setDueAt(event.getDueAt());
                recordError(status, event);
            }
            case ACTIVE, PROGRESS -> status.setDueAt(null).setProgress(progressOf(event));
            case COMPLETED -> status.setDueAt(null).setProgress(100)
                    .setReturnValue(event.getReturnValue())
                    .setFinishedAt(at);
            case FAILED, DEAD_LETTERED -> {
                status.setDueAt(null).setFinishedAt(at);
                recordError(status, event);
            }
            case CANCELLED -> {
                status.setDueAt(null).setFinishedAt(at);
                recordError(status, event);
            }
            case REMOVED -> throw new IllegalArgumentException("REMOVED deletes a job, it is not a state to enter");
        }
    }

    /** What any event of the current run may contribute, whatever its rank. */
    private static void fillMissing(JobStatus.Builder status, JobEvent event) {
        Submission.of(event).fillMissing(status);
        if (status.getStep() == null) {
            status.setStep(event.getStep());
        }
        if (status.getErrorClass() == null && status.getErrorMessage() == null) {
            recordError(status, event);
        }
        // processedAt is the first time the run went active, even if that event came late; an attempt
        // that ended before its worker announced it tells its start on its outcome.
        Instant processedAt = status.getProcessedAt();
        Instant started = JobEvents.startOf(event);
        if (started != null && (processedAt == null || started.isBefore(processedAt))) {
            status.setProcessedAt(started);
        } else if (event.getState() == JobState.PROGRESS && processedAt == null) {
            status.setProcessedAt(event.getTimestamp());
        }
    }

    private static void recordError(JobStatus.Builder status, JobEvent event) {
        if (event.getErrorClass() != null || event.getErrorMessage() != null) {
            status.setErrorClass(event.getErrorClass()).setErrorMessage(event.getErrorMessage());
        }
    }

    private static int progressOf(JobEvent event) {
        return event.getProgress() == null ? 0 : event.getProgress();
    }

    private static Instant latest(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    /**
     * Lexicographic order of lifecycle positions. Progress is ignored for terminal states, so two
     * terminal events of one attempt tie and the first one stays.
     */
    record Rank(Instant enqueuedAt, int stage, int attempt, int stateRank, int progress) implements Comparable<Rank> {

        private static final Comparator<Rank> ORDER = Comparator.comparing(Rank::enqueuedAt)
                .thenComparingInt(Rank::stage)
                .thenComparingInt(Rank::attempt)
                .thenComparingInt(Rank::stateRank)
                .thenComparingInt(Rank::progress);

        static Rank of(JobEvent event) {
            return of(event.getEnqueuedAt(), event.getStage(), event.getAttempt(), event.getState(), progressOf(event));
        }

        static Rank of(JobStatus status) {
            return of(status.getEnqueuedAt(), status.getStage(), status.getAttempt(), status.getState(), status.getProgress());
        }

        private static Rank of(Instant enqueuedAt, int stage, int attempt, JobState state, int progress) {
            int rank = JobStates.rankInAttempt(state);
            return new Rank(enqueuedAt, stage, attempt, rank, rank == JobStates.TERMINAL_RANK ? 0 : progress);
        }

        @Override
        public int compareTo(Rank other) {
            return ORDER.compare(this, other);
        }
    }

    /** What a run's submission says of it; every event of the run may carry it, and so does its status. */
    private record Submission(String data, String traceId, String parentJobId, Integer priority,
                              Boolean removeOnComplete, Boolean removeOnFail) {

        static Submission of(JobEvent event) {
            return new Submission(event.getData(), event.getTraceId(), event.getParentJobId(), event.getPriority(),
                    event.getRemoveOnComplete(), event.getRemoveOnFail());
        }

        static Submission of(JobStatus status) {
            return new Submission(status.getData(), status.getTraceId(), status.getParentJobId(),
                    status.getPriority(), status.getRemoveOnComplete(), status.getRemoveOnFail());
        }

        /** Sets each field the status lacks. */
        void fillMissing(JobStatus.Builder status) {
            if (status.getData() == null) {
                status.setData(data);
            }
            if (status.getTraceId() == null) {
                status.setTraceId(traceId);
            }
            if (status.getParentJobId() == null) {
                status.setParentJobId(parentJobId);
            }
            if (status.getPriority() == null) {
                status.setPriority(priority);
            }
            if (status.getRemoveOnComplete() == null) {
                status.setRemoveOnComplete(removeOnComplete);
            }
            if (status.getRemoveOnFail() == null) {
                status.setRemoveOnFail(removeOnFail);
            }
        }
    }
}
