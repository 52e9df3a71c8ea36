package io.jobstream.ingest.document;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.DocumentSubmitted;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.Upload;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds document jobs: the bytes go to PostgreSQL once (claim check) and the job on
 * document.extraction carries their reference. A job id that exists and has not failed or been
 * cancelled is not added again (BullMQ keeps a finished job's id until it is removed).
 */
@Service
public class DocumentSubmissions {

    private static final Logger log = LoggerFactory.getLogger(DocumentSubmissions.class);

    private final DocumentUploads uploads;
    private final JobPublisher publisher;
    private final JobStatusQueries queries;
    private final JsonMapper json;

    public DocumentSubmissions(DocumentUploads uploads, JobPublisher publisher, JobStatusQueries queries, JsonMapper json) {
        this.uploads = uploads;
        this.publisher = publisher;
        this.queries = queries;
        this.json = json;
    }

    /** A new job, or the existing one under the same id. */
    public record Submission(String jobId, boolean duplicate) {
    }

    Submission submit(DocumentUpload upload, String mediaType) {
        if (upload.jobId() != null) {
            Optional<JobSnapshot> existing = existing(upload.jobId());
            if (existing.isPresent()) {
                log.info("document job exists, not resubmitted jobId={} state={}", upload.jobId(), existing.get().state());
                return new Submission(upload.jobId(), true);
            }
        }
        String jobId = upload.jobId() != null ? upload.jobId() : UUID.randomUUID().toString();
        String ref = uploads.store(new Upload(upload.fileName(), mediaType, upload.content()));
        DocumentSubmitted payload = DocumentSubmitted.newBuilder()
                .setJobId(jobId)
                .setFileName(upload.fileName())
                .setContentType(mediaType)
                .setSizeBytes(upload.content().length)
                .setContentRef(ref)
                .setSubmittedAt(Instant.now())
                .build();
        JobSubmission<DocumentSubmitted> job = JobSubmission.of(jobId, DocumentJobs.JOB_TYPE, payload)
                .withData(json.writeValueAsString(new DocumentJobData(upload.fileName(), mediaType, upload.content().length, ref)));
        // The job and its QUEUED event in one transaction, not a single add whose QUEUED the intake writes later:
        // the pipeline's first events would then reach the status before it and list the job without its file name.
        // Uploads are few, so the transaction costs nothing that matters.
        publisher.inTransaction(batch -> batch.submit(DocumentJobs.EXTRACTION.queue(), job));
        log.info("document job submitted jobId={} fileName={} mediaType={} bytes={} contentRef={}",
                jobId, upload.fileName(), mediaType, upload.content().length, ref);
        return new Submission(jobId, false);
    }

    private Optional<JobSnapshot> existing(String jobId) {
        return switch (queries.find(jobId)) {
            case JobLookup.Found(JobSnapshot job) -> switch (job.state()) {
                case FAILED, DEAD_LETTERED, CANCELLED -> Optional.empty();
                default -> Optional.of(job);
            };
            case JobLookup.Absent() -> Optional.empty();
            case JobLookup.Unavailable(String reason) -> throw new StatusUnavailableException(reason);
        };
    }
}
