package io.jobstream.ingest.curl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.flow.FlowIds;
import io.jobstream.core.flow.Flows;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.Upload;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds curl-generation jobs: each screenshot goes to PostgreSQL once, keyed by its SHA-256 (the
 * document uploads' claim check), and its job carries the reference. Every submission is a flow,
 * one screenshot a flow of one: its children {@code {id}:{n}} are the screenshots' jobs, and the
 * flow {@code id} the user follows completes only once their resources are embedded, whatever the
 * batch size. An unfinished job with the same id is returned, not added again.
 */
@Service
public class CurlSubmissions {

    private static final Logger log = LoggerFactory.getLogger(CurlSubmissions.class);

    private final DocumentUploads uploads;
    private final JobPublisher publisher;
    private final UnfinishedJobs unfinished;
    private final JsonMapper json;

    public CurlSubmissions(DocumentUploads uploads, JobPublisher publisher, UnfinishedJobs unfinished, JsonMapper json) {
        this.uploads = uploads;
        this.publisher = publisher;
        this.unfinished = unfinished;
        this.json = json;
    }

    /** @param jobIds the screenshots' job ids, in request order (the flow's children) */
    public record Submission(String jobId, List<String> jobIds, boolean duplicate) {
    }

    Submission submit(String requestedId, List<ScreenshotUpload> screenshots) {
        String jobId = requestedId != null ? requestedId : UUID.randomUUID().toString();
        List<String> childIds = new ArrayList<>(screenshots.size());
        for (int i = 0; i < screenshots.size(); i++) {
            childIds.add(FlowIds.child(jobId, i));
        }
        if (requestedId != null && unfinished.find(requestedId).isPresent()) {
            log.info("curl job exists, not resubmitted jobId={}", requestedId);
            return new Submission(requestedId, childIds, true);
        }
        List<JobSubmission<JobRequested>> children = new ArrayList<>(screenshots.size());
        for (int i = 0; i < screenshots.size(); i++) {
            children.add(job(childIds.get(i), screenshots.get(i)));
        }
        Flows.submit(publisher, CurlJobs.CURL_GENERATION, jobId, CurlJobs.BATCH_JOB_TYPE,
                json.writeValueAsString(Map.of("screenshots", screenshots.size())), children);
        log.info("curl flow submitted jobId={} screenshots={}", jobId, screenshots.size());
        return new Submission(jobId, childIds, false);
    }

    private JobSubmission<JobRequested> job(String jobId, ScreenshotUpload screenshot) {
        String ref = uploads.store(new Upload(screenshot.fileName(), screenshot.mediaType(), screenshot.content()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(CurlJobs.CONTENT_REF, ref);
        data.put(CurlJobs.PAGE_URL, screenshot.pageUrl());
        data.put(CurlJobs.PAGE_TITLE, screenshot.pageTitle());
        data.put("fileName", screenshot.fileName());
        data.put("mediaType", screenshot.mediaType());
        data.put("sizeBytes", screenshot.content().length);
        String dataJson = json.writeValueAsString(data);
        JobRequested envelope = new JobRequested(CurlJobs.JOB_TYPE, dataJson, JobOptions.newBuilder().setJobId(jobId).build());
        return JobSubmission.of(jobId, CurlJobs.JOB_TYPE, envelope).withData(dataJson);
    }
}
