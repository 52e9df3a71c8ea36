package io.jobstream.ingest.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.JobRequested;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.topics.QueueTopics;

/**
 * BullMQ's {@code queue.add} and {@code queue.addBulk} for every declared queue: the jobs are
 * checked against the queue's payload, and those not already unfinished are published in one
 * transaction, all or nothing.
 */
@Service
public class QueueJobs {

    private static final Logger log = LoggerFactory.getLogger(QueueJobs.class);

    private final DeclaredQueues queues;
    private final JobPublisher publisher;
    private final UnfinishedJobs unfinished;

    public QueueJobs(DeclaredQueues queues, JobPublisher publisher, UnfinishedJobs unfinished) {
        this.queues = queues;
        this.publisher = publisher;
        this.unfinished = unfinished;
    }

    /** What became of one job of the request: added, or an unfinished job with its id kept. */
    public record Added(String jobId, String queue, String name, boolean duplicate) {
    }

    /**
     * @param fieldPrefix how each job's fields are named in errors, by its index: "" for one job, "jobs[%d]." for a bulk
     */
    public List<Added> add(String queueName, List<NewJob> jobs, String fieldPrefix) {
        QueueTopics queue = queues.require(queueName);
        queues.payload(queueName).ifPresent(payload -> {
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    // A payload's jobId field takes the job's id, generated at publication when the caller gave none.
                    payload.convert(jobs.get(i).data(), Objects.requireNonNullElse(jobs.get(i).opts().jobId(), "generated"));
                } catch (IllegalArgumentException e) {
                    String message = e.getMessage();
                    int colon = message.indexOf(": ");
                    String prefix = fieldPrefix.formatted(i);
                    throw colon < 0 ? new BadRequestException(prefix + "data", message)
                            : new BadRequestException(prefix + message.substring(0, colon), message.substring(colon + 2));
                }
            }
        });
        List<Added> answers = new ArrayList<>(jobs.size());
        List<JobSubmission<JobRequested>> submissions = new ArrayList<>();
        Set<String> inThisRequest = new HashSet<>();
        for (NewJob job : jobs) {
            String jobId = job.opts().jobId();
            if (jobId != null && (!inThisRequest.add(jobId) || unfinished.find(jobId).isPresent())) {
                answers.add(new Added(jobId, queueName, job.name(), true));
                continue;
            }
            submissions.add(submission(job));
            answers.add(null);
        }
        List<SubmittedJob> submitted = submissions.isEmpty() ? List.of() : publisher.submitAll(queue, submissions);
        int next = 0;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) == null) {
                answers.set(i, new Added(submitted.get(next++).jobId(), queueName, jobs.get(i).name(), false));
            }
        }
        log.info("jobs added queue={} added={} duplicates={} firstJobId={}", queueName, submitted.size(),
                answers.size() - submitted.size(), answers.isEmpty() ? null : answers.getFirst().jobId());
        return answers;
    }

    private static JobSubmission<JobRequested> submission(NewJob job) {
        NewJob.Options opts = job.opts();
        return new JobSubmission<>(opts.jobId(), job.name(), null, job.envelope(),
                opts.delay() == null ? Duration.ZERO : Duration.ofMillis(opts.delay()), opts.priority(), opts.attempts(),
                null, null, job.data().toString());
    }
}
