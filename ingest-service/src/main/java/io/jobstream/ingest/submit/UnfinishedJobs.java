package io.jobstream.ingest.submit;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.jobstream.events.JobStates;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.StatusUnavailableException;

/**
 * BullMQ's job-id rule at the door: while a job id's run is unfinished, adding it again returns the
 * existing job. The worker's deduplicator would drop the second record anyway, but its QUEUED event
 * would start a new run in the status store that never progresses; so routes ask here first and
 * publish nothing for an unfinished id.
 */
@Component
public class UnfinishedJobs {

    private final JobStatusQueries queries;

    public UnfinishedJobs(JobStatusQueries queries) {
        this.queries = queries;
    }

    /**
     * The status of the job's unfinished run; empty when the id is unknown or its run has finished.
     *
     * @throws StatusUnavailableException during a rebalance: whether the job exists is not known yet
     */
    public Optional<JobSnapshot> find(String jobId) {
        return switch (queries.find(jobId)) {
            case JobLookup.Found(JobSnapshot job) -> JobStates.isTerminal(job.state()) ? Optional.empty() : Optional.of(job);
            case JobLookup.Absent() -> Optional.empty();
            case JobLookup.Unavailable(String reason) -> throw new StatusUnavailableException(reason);
        };
    }
}
