package io.jobstream.ingest.product;

import java.nio.charset.StandardCharsets;

import org.springframework.web.util.UriUtils;

import io.jobstream.core.job.SubmittedJob;
import io.jobstream.ingest.api.JobStatusWords;
import io.jobstream.ingest.query.JobSnapshot;

/**
 * One job a catalog route added, or found unfinished under its id and left as it was.
 *
 * @param duplicate true when the job was already unfinished and nothing was added
 */
public record QueuedJob(String jobId, String queue, String state, boolean duplicate, String statusUrl) {

    public static QueuedJob added(SubmittedJob job) {
        return new QueuedJob(job.jobId(), job.queue(), JobStatusWords.of(job.state()), false, statusUrl(job.jobId()));
    }

    public static QueuedJob existing(String queue, JobSnapshot job) {
        return new QueuedJob(job.jobId(), queue, JobStatusWords.of(job.state()), true, statusUrl(job.jobId()));
    }

    private static String statusUrl(String jobId) {
        return "/api/jobs/" + UriUtils.encodePathSegment(jobId, StandardCharsets.UTF_8);
    }
}
