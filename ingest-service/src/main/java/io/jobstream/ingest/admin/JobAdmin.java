package io.jobstream.ingest.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.control.QueueControl;
import io.jobstream.core.flow.FlowIds;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.ControlCommand;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStates;
import io.jobstream.ingest.api.JobNotFoundException;
import io.jobstream.ingest.api.JobStatusWords;
import io.jobstream.ingest.query.JobFilter;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobPage;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.ingest.queue.DeclaredQueues;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * BullMQ's queue and job operations for every queue: cancel, retry, pause, resume, clean, and
 * dead-letter replay. Each is a record on a topic: a control command that workers honour, a
 * lifecycle event the status store folds, or a new run of a job on its queue.
 */
@Service
public class JobAdmin {

    private static final Logger log = LoggerFactory.getLogger(JobAdmin.class);
    private static final String CANCELLED_BY_REQUEST = "cancelled by request";
    private static final int PAGE = 1000;
    private static final int PER_TRANSACTION = 500;

    private final JobStatusQueries queries;
    private final JobPublisher publisher;
    private final DeadLetters deadLetters;
    private final DeclaredQueues queues;

    public JobAdmin(JobStatusQueries queries, JobPublisher publisher, DeadLetters deadLetters, DeclaredQueues queues) {
        this.queries = queries;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.queues = queues;
    }

    /**
     * A waiting, delayed or retrying job never runs; an active one is abandoned by its worker. The
     * job is CANCELLED at once: the status store keeps that whatever the worker reports later. A flow
     * parent's unfinished children are cancelled with it.
     *
     * @return the job as it was before the cancel
     */
    public JobSnapshot cancel(String jobId) {
        JobSnapshot job = queries.require(jobId);
        if (JobStates.isTerminal(job.state())) {
            throw new JobConflictException(jobId, "job is already " + JobStatusWords.of(job.state()));
        }
        cancel(job);
        children(job).stream().filter(child -> !JobStates.isTerminal(child.state())).forEach(this::cancel);
        return job;
    }

    private void cancel(JobSnapshot job) {
        String jobId = job.jobId();
        Instant now = Instant.now();
        KeyValue<String, ControlCommand> cancel = QueueControl.cancel(job.queue(), jobId, CANCELLED_BY_REQUEST, now);
        publisher.inTransaction(batch -> {
            batch.publish(TopicCatalog.JOB_CONTROL, cancel.key, cancel.value);
            batch.publish(TopicCatalog.JOB_EVENTS, jobId, JobEvents.cancelled(job.queue(), job.metadata(), CANCELLED_BY_REQUEST, now));
        });
        log.info("job cancelled queue={} jobId={} previousState={}", job.queue(), jobId, job.state());
    }

    /**
     * Runs a failed job again from its original record, kept in its queue's dead-letter topic; for a
     * flow parent, every failed child (the parent reopens as they run).
     *
     * @return the runs started
     */
    public List<SubmittedJob> retry(String jobId) {
        JobSnapshot job = queries.require(jobId);
        if (FlowIds.totalOf(job.step()).isPresent()) {
            List<JobSnapshot> failed = children(job).stream().filter(JobAdmin::failed).toList();
            if (failed.isEmpty()) {
                throw new JobConflictException(jobId, "the flow has no failed job to retry; it is " + JobStatusWords.of(job.state()));
            }
            return failed.stream().map(this::retry).toList();
        }
        if (!failed(job)) {
            throw new JobConflictException(jobId, "only failed jobs can be retried; the job is " + JobStatusWords.of(job.state()));
        }
        return List.of(retry(job));
    }

    private SubmittedJob retry(JobSnapshot job) {
        String jobId = job.jobId();
        QueueTopics queue = queue(job.queue());
        DeadLetter letter = deadLetters.latestPerJob(queue).stream()
                .filter(dead -> dead.job().jobId().equals(jobId) && dead.endedRun(job.enqueuedAt()))
                .findFirst()
                .orElseThrow(() -> new JobConflictException(jobId,
                        "no dead letter of this run is kept in " + queue.deadLetters() + " to retry from"));
        SubmittedJob retried = publisher.inTransaction(batch -> batch.resubmit(queue, letter.job(), letter.key(), letter.value(),
                job.data())).getFirst();
        log.info("job retried queue={} jobId={} from={}:{}@{}", queue.queue(), jobId, queue.deadLetters(), letter.partition(),
                letter.offset());
        return retried;
    }

    /**
     * A delayed job runs now (BullMQ's {@code job.promote()}): its worker's timer releases it on the
     * PROMOTE command. Only a job waiting for its first run's due time can be promoted.
     */
    public JobSnapshot promote(String jobId) {
        JobSnapshot job = queries.require(jobId);
        if (job.state() != JobState.DELAYED || job.dueAt() == null) {
            throw new JobConflictException(jobId, "only delayed jobs can be promoted; the job is " + JobStatusWords.of(job.state()));
        }
        promote(List.of(job));
        return job;
    }

    /** Promotes every delayed job of the queue; returns how many. */
    public int promoteDelayed(String queue) {
        List<JobSnapshot> delayed = jobs(new JobFilter(queue(queue).queue(), EnumSet.of(JobState.DELAYED))).stream()
                .filter(job -> job.dueAt() != null)
                .toList();
        promote(delayed);
        log.info("delayed jobs promoted queue={} count={}", queue, delayed.size());
        return delayed.size();
    }

    private void promote(List<JobSnapshot> jobs) {
        Instant now = Instant.now();
        for (List<JobSnapshot> chunk : chunks(jobs)) {
            publisher.inTransaction(batch -> chunk.forEach(job -> {
                KeyValue<String, ControlCommand> promote = QueueControl.promote(job.queue(), job.jobId(), job.dueAt(), now);
                batch.publish(TopicCatalog.JOB_CONTROL, promote.key, promote.value);
            }));
        }
        jobs.forEach(job -> log.info("job promoted queue={} jobId={} wasDueAt={}", job.queue(), job.jobId(), job.dueAt()));
    }

    /** Runs every failed job of the queue again (Bull Board's "retry all"); returns the runs started. */
    public List<SubmittedJob> retryFailed(String queue) {
        List<SubmittedJob> retried = new ArrayList<>();
        for (JobSnapshot job : jobs(new JobFilter(queue(queue).queue(), EnumSet.of(JobState.DEAD_LETTERED, JobState.FAILED)))) {
            try {
                retried.add(retry(job));
            } catch (JobConflictException noDeadLetter) {
                log.warn("failed job not retried queue={} jobId={} reason={}", queue, job.jobId(), noDeadLetter.getMessage());
            }
        }
        log.info("failed jobs retried queue={} count={}", queue, retried.size());
        return retried;
    }

    /** Forgets one finished job (BullMQ's {@code job.remove()}); 409 while it is unfinished. */
    public JobSnapshot remove(String jobId) {
        JobSnapshot job = queries.require(jobId);
        if (!JobStates.FINISHED.contains(job.state())) {
            throw new JobConflictException(jobId, "only finished jobs can be removed; the job is " + JobStatusWords.of(job.state())
                    + " (cancel it first)");
        }
        remove(List.of(job));
        log.info("job removed queue={} jobId={} state={}", job.queue(), jobId, job.state());
        return job;
    }

    /** A page of a queue's dead letters, newest first, one per job; {@code total} counts them all. */
    public DeadLetterPage deadLetters(String queue, int limit, int offset) {
        List<DeadLetter> all = deadLetters.latestPerJob(queue(queue));
        return new DeadLetterPage(all.size(), all.stream().skip(offset).limit(limit).toList());
    }

    public record DeadLetterPage(int total, List<DeadLetter> letters) {
    }

    /**
     * Runs dead-lettered jobs again: every job of the queue whose current run died (or only
     * {@code onlyJobId}). Jobs retried since, or removed, are skipped.
     */
    public Replay replay(String queueName, String onlyJobId) {
        QueueTopics queue = queue(queueName);
        List<DeadLetter> due = new ArrayList<>();
        int skipped = 0;
        for (DeadLetter letter : deadLetters.latestPerJob(queue)) {
            if (onlyJobId != null && !onlyJobId.equals(letter.job().jobId())) {
                continue;
            }
            if (queries.find(letter.job().jobId()) instanceof JobLookup.Found(JobSnapshot job)
                    && job.state() == JobState.DEAD_LETTERED && letter.endedRun(job.enqueuedAt())) {
                due.add(letter);
            } else {
                skipped++;
            }
        }
        List<String> replayed = new ArrayList<>();
        for (List<DeadLetter> chunk : chunks(due)) {
            publisher.inTransaction(batch -> chunk.forEach(letter ->
                    replayed.add(batch.resubmit(queue, letter.job(), letter.key(), letter.value(), null).jobId())));
        }
        log.info("dead letters replayed queue={} replayed={} skipped={}", queue.queue(), replayed.size(), skipped);
        return new Replay(replayed, skipped);
    }

    public void pause(String queue) {
        command(QueueControl.pause(queue(queue).queue(), Instant.now()));
        log.info("queue paused queue={}", queue);
    }

    public void resume(String queue) {
        command(QueueControl.resume(queue(queue).queue(), Instant.now()));
        log.info("queue resumed queue={}", queue);
    }

    /** Removes the queue's finished jobs that finished more than {@code olderThan} ago; returns how many. */
    public int clean(String queue, Duration olderThan) {
        return clean(queue, olderThan, JobStates.FINISHED);
    }

    /** BullMQ's {@code clean(grace, limit, type)}: only jobs in {@code states}, which must be finished ones. */
    public int clean(String queue, Duration olderThan, Set<JobState> states) {
        Instant cutoff = Instant.now().minus(olderThan);
        Set<JobState> finished = EnumSet.copyOf(states);
        finished.retainAll(JobStates.FINISHED);
        List<JobSnapshot> old = jobs(new JobFilter(queue(queue).queue(), finished)).stream()
                .filter(job -> job.finishedAt() != null && job.finishedAt().isBefore(cutoff))
                .toList();
        remove(old);
        log.info("queue cleaned queue={} olderThan={} removed={}", queue, olderThan, old.size());
        return old.size();
    }

    /** Every job matching {@code filter}, newest first. */
    List<JobSnapshot> jobs(JobFilter filter) {
        List<JobSnapshot> all = new ArrayList<>();
        JobPage page;
        do {
            page = queries.list(filter, all.size(), PAGE);
            all.addAll(page.jobs());
        } while (!page.jobs().isEmpty() && all.size() < page.total());
        return all;
    }

    /** Forgets finished jobs: a REMOVED event each, which deletes them from the status store. */
    void remove(List<JobSnapshot> jobs) {
        Instant now = Instant.now();
        for (List<JobSnapshot> chunk : chunks(jobs)) {
            publisher.inTransaction(batch -> chunk.forEach(job ->
                    batch.publish(TopicCatalog.JOB_EVENTS, job.jobId(), JobEvents.removed(job.queue(), job.metadata(), now))));
        }
    }

    /** A flow parent's children, as far as the status store still has them; none for any other job. */
    private List<JobSnapshot> children(JobSnapshot parent) {
        int total = FlowIds.totalOf(parent.step()).orElse(0);
        List<JobSnapshot> children = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            if (queries.find(FlowIds.child(parent.jobId(), i)) instanceof JobLookup.Found(JobSnapshot child)) {
                children.add(child);
            }
        }
        return children;
    }

    private static boolean failed(JobSnapshot job) {
        return job.state() == JobState.DEAD_LETTERED || job.state() == JobState.FAILED;
    }

    private void command(KeyValue<String, ControlCommand> command) {
        publisher.inTransaction(batch -> batch.publish(TopicCatalog.JOB_CONTROL, command.key, command.value));
    }

    /** A declared queue; operations on anything else would publish commands nobody reads. */
    private QueueTopics queue(String name) {
        return queues.require(name);
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += PER_TRANSACTION) {
            chunks.add(items.subList(from, Math.min(items.size(), from + PER_TRANSACTION)));
        }
        return chunks;
    }

    /** What a replay did: the jobs run again, and how many dead letters were left alone. */
    public record Replay(List<String> replayed, int skipped) {
    }
}
