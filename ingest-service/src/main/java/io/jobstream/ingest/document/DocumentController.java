package io.jobstream.ingest.document;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ingest.admin.JobAdmin;
import io.jobstream.ingest.api.ApiResponses.JobActionResponse;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JobNotFoundException;
import io.jobstream.ingest.api.JobStatusWords;
import io.jobstream.ingest.api.RejectedRequestException;
import io.jobstream.ingest.query.JobFilter;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobPage;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.jobs.DocumentJobs;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 002's document pipeline API: submit a document (one job through extraction, classification,
 * NER and ingestion), its status with every step's, the list of document jobs in every state, and
 * cancelling one.
 */
@RestController
@RequestMapping("/api/pipeline/process")
public class DocumentController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Logger log = LoggerFactory.getLogger(DocumentController.class);

    private final DocumentProperties properties;
    private final DocumentTypes types;
    private final DocumentSubmissions submissions;
    private final JobStatusQueries queries;
    private final JobAdmin admin;
    private final JsonMapper json;

    public DocumentController(DocumentProperties properties, DocumentTypes types, DocumentSubmissions submissions,
                              JobStatusQueries queries, JobAdmin admin, JsonMapper json) {
        this.properties = properties;
        this.types = types;
        this.submissions = submissions;
        this.queries = queries;
        this.admin = admin;
        this.json = json;
    }

    public record SubmitResponse(boolean success, String jobId, String fileName, String mediaType, boolean duplicate,
                                 String message) {
    }

    public record DocumentJobResponse(boolean success, DocumentJobView job) {
    }

    public record DocumentJobListResponse(boolean success, int count, long total, int limit, int offset,
                                          List<DocumentJobView> jobs) {
    }

    @PostMapping
    public ResponseEntity<SubmitResponse> submit(HttpServletRequest request) throws IOException {
        DocumentUpload upload = DocumentRequests.read(request, properties.maxSize().toBytes(), json);
        if (upload.content().length == 0) {
            throw new BadRequestException("file", "is empty");
        }
        String mediaType = types.detect(upload.content(), upload.fileName());
        if (!types.isSupported(mediaType)) {
            log.info("document refused fileName={} mediaType={}", upload.fileName(), mediaType);
            throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "file",
                    "is " + mediaType + ", which the pipeline does not take; supported: " + String.join(", ", types.supported()));
        }
        DocumentSubmissions.Submission submitted = submissions.submit(upload, mediaType);
        return ResponseEntity.status(submitted.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new SubmitResponse(true, submitted.jobId(), upload.fileName(), mediaType, submitted.duplicate(),
                        submitted.duplicate() ? "A job with this id exists; it was not added again" : "Document queued for processing"));
    }

    @GetMapping(params = "jobId")
    public DocumentJobResponse job(@RequestParam String jobId) {
        return new DocumentJobResponse(true, view(requireDocument(jobId)));
    }

    /**
     * Cancels the document job wherever it is: waiting in a step's queue it never runs, running it
     * is abandoned; 409 when it has already finished.
     */
    @DeleteMapping(params = "jobId")
    public JobActionResponse cancel(@RequestParam String jobId) {
        requireDocument(jobId);
        JobSnapshot before = admin.cancel(jobId);
        return new JobActionResponse("Job cancelled successfully", jobId, JobStatusWords.of(before.state()));
    }

    @GetMapping(params = "!jobId")
    public DocumentJobListResponse list(@RequestParam(required = false) String limit, @RequestParam(required = false) String offset) {
        int pageSize = wholeNumber("limit", limit, DEFAULT_LIMIT);
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            throw new BadRequestException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        int skip = wholeNumber("offset", offset, 0);
        // A document job's status keeps the queue it was submitted to, whichever step it is in now.
        JobPage page = queries.list(new JobFilter(DocumentJobs.EXTRACTION.queue().queue(), Set.of()), skip, pageSize);
        List<DocumentJobView> jobs = page.jobs().stream().map(this::view).toList();
        return new DocumentJobListResponse(true, jobs.size(), page.total(), pageSize, skip, jobs);
    }

    private JobSnapshot requireDocument(String jobId) {
        return queries.require(jobId, job -> DocumentJobs.JOB_TYPE.equals(job.jobType()));
    }

    private DocumentJobView view(JobSnapshot job) {
        String fileName = job.data() == null ? null : json.readValue(job.data(), DocumentJobData.class).fileName();
        return DocumentJobView.of(job, fileName);
    }

    private static int wholeNumber(String field, String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(field, "must be a whole number, got '" + raw + "'");
        }
        if (value < 0) {
            throw new BadRequestException(field, "must not be negative");
        }
        return value;
    }
}
