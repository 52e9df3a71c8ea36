package io.jobstream.curl.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import io.jobstream.curl.generate.ApiDocumentation;
import io.jobstream.curl.generate.CurlGenerator;
import io.jobstream.curl.generate.Screenshot;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.api.ApiResource;
import io.jobstream.store.api.ApiResourceRepository;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.Upload;
import tools.jackson.databind.JsonNode;

/**
 * A curl-generation job: the stored screenshot → API documentation → one {@code api_resources} row
 * per endpoint (the job's rows replaced in one transaction, so a re-run after a crash replaces them).
 * The resources' embedding jobs are not published here: {@link EmbeddingJobsFromResults} queues them
 * from this job's COMPLETED event, exactly once. Their ids are deterministic and named in the result.
 */
public final class CurlGenerationHandler implements JobHandler<JsonNode, Map<String, Object>> {

    private static final Logger log = LoggerFactory.getLogger(CurlGenerationHandler.class);
    private static final String STEP = CurlJobs.CURL_GENERATION.queue();

    private final DocumentUploads uploads;
    private final CurlGenerator generator;
    private final ApiResourceRepository resources;

    public CurlGenerationHandler(DocumentUploads uploads, CurlGenerator generator, ApiResourceRepository resources) {
        this.uploads = uploads;
        this.generator = generator;
        this.resources = resources;
    }

    @Override
    public Map<String, Object> handle(Job<JsonNode> job) {
        String contentRef = required(job.data(), CurlJobs.CONTENT_REF);
        String pageUrl = required(job.data(), CurlJobs.PAGE_URL);
        String pageTitle = job.data().path(CurlJobs.PAGE_TITLE).asString(null);
        Upload upload = uploads.load(contentRef)
                .orElseThrow(() -> new PermanentJobException("the screenshot " + contentRef + " is not stored"));
        job.progress(10, STEP);
        ApiDocumentation documentation = generator.generate(new Screenshot(upload.content(), upload.contentType(), pageUrl, pageTitle));
        job.log(documentation.description());
        if (!documentation.lowConfidenceLines().isEmpty()) {
            job.log("low OCR confidence on " + documentation.lowConfidenceLines().size() + " lines: "
                    + String.join(" | ", documentation.lowConfidenceLines()));
        }
        List<ApiResource> rows = new ArrayList<>();
        for (int i = 0; i < documentation.endpoints().size(); i++) {
            ApiEndpoint endpoint = documentation.endpoints().get(i);
            rows.add(new ApiResource(CurlJobs.resourceId(job.id(), i), job.id(), pageUrl, pageTitle, endpoint.method(),
                    endpoint.url(), endpoint.headers(), endpoint.body(), endpoint.curl(), endpoint.markdown(),
                    endpoint.description(), documentation.provider(), documentation.confidence(), contentRef));
        }
        resources.replace(job.id(), rows);
        job.progress(80, STEP);
        log.info("curl job done jobId={} pageUrl={} provider={} endpoints={} confidence={} millis={}", job.id(), pageUrl,
                documentation.provider(), rows.size(), documentation.confidence(), documentation.millis());
        return result(documentation, rows);
    }

    private static Map<String, Object> result(ApiDocumentation documentation, List<ApiResource> rows) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("provider", documentation.provider());
        result.put("description", documentation.description());
        result.put("confidence", documentation.confidence());
        result.put("lowConfidenceLines", documentation.lowConfidenceLines());
        result.put("millis", documentation.millis());
        result.put("resources", rows.stream().map(row -> Map.of("resourceId", row.resourceId(), "method", row.method(),
                "url", row.endpoint(), "curl", row.curl())).toList());
        result.put(CurlJobs.EMBEDDING_JOB_IDS, rows.stream().map(row -> CurlJobs.embeddingJobId(row.resourceId())).toList());
        return result;
    }

    private static String required(JsonNode data, String field) {
        String value = data.path(field).asString(null);
        if (value == null || value.isBlank()) {
            throw new PermanentJobException("data." + field + " is required");
        }
        return value;
    }
}
