package io.jobstream.ingest.curl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.jobstream.core.flow.FlowIds;
import io.jobstream.ingest.progress.EventRelay;
import io.jobstream.ingest.progress.JobEventStream;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.QueryProperties;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.api.ApiResource;
import io.jobstream.store.api.ApiResourceRepository;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 003's curl generation: screenshots in (one flow, of one screenshot or several), and their
 * progress as the seed's Server-Sent Events, {@code curl_progress} and {@code embedding_progress}.
 */
@RestController
@RequestMapping("/api/curl/jobs")
@EnableConfigurationProperties(CurlProperties.class)
public class CurlController {

    private final CurlProperties properties;
    private final CurlSubmissions submissions;
    private final ApiResourceRepository resources;
    private final JobEventStream stream;
    private final JobStatusQueries queries;
    private final JsonMapper json;
    private final long timeoutMillis;

    public CurlController(CurlProperties properties, CurlSubmissions submissions, ApiResourceRepository resources,
                          JobEventStream stream, JobStatusQueries queries, JsonMapper json, QueryProperties query) {
        this.properties = properties;
        this.submissions = submissions;
        this.resources = resources;
        this.stream = stream;
        this.queries = queries;
        this.json = json;
        this.timeoutMillis = query.eventStreamTimeout().toMillis();
    }

    /** @param jobIds the screenshots' jobs in request order: the children of flow {@code jobId} */
    public record SubmitResponse(boolean success, String jobId, List<String> jobIds, boolean duplicate, String events,
                                 String message) {
    }

    public record ResourcesResponse(boolean success, String jobId, int count, List<ApiResource> resources) {
    }

    @PostMapping
    public ResponseEntity<SubmitResponse> submit(HttpServletRequest request) throws IOException {
        CurlRequests.Request read = CurlRequests.read(request, properties);
        CurlSubmissions.Submission submitted = submissions.submit(read.jobId(), read.screenshots());
        return ResponseEntity.status(submitted.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new SubmitResponse(true, submitted.jobId(), submitted.jobIds(), submitted.duplicate(),
                        "/api/curl/jobs/" + submitted.jobId() + "/events",
                        submitted.duplicate() ? "A job with this id is unfinished; it was not added again"
                                : submitted.jobIds().size() + " screenshot" + (submitted.jobIds().size() > 1 ? "s" : "")
                                + " queued for curl generation"));
    }

    /** The API resources every job of a flow (or one curl job) documented, in order; 404 for an unknown id. */
    @GetMapping("/{id}/resources")
    public ResourcesResponse resources(@PathVariable String id) {
        List<ApiResource> found = new ArrayList<>();
        for (String jobId : curlJobs(queries.require(id))) {
            found.addAll(resources.byJob(jobId));
        }
        return new ResourcesResponse(true, id, found.size(), found);
    }

    /**
     * The flow's events until it and its resources' embedding jobs have finished: first the
     * statuses as they are now, then every change. 404 for an unknown id.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String id) {
        CurlProgress progress = new CurlProgress(id);
        EventRelay relay = EventRelay.listen(stream, timeoutMillis, progress::concerns,
                event -> sse(progress.observe(CurlProgress.Observation.of(event))), progress::finished);
        return relay.start(() -> {
            List<SseEmitter.SseEventBuilder> first = new ArrayList<>();
            first.add(SseEmitter.event().comment("curl job events"));
            snapshot(queries.require(id)).forEach(observation -> first.addAll(sse(progress.observe(observation))));
            return first;
        });
    }

    private static List<SseEmitter.SseEventBuilder> sse(List<CurlProgress.Emission> emissions) {
        return emissions.stream()
                .map(emission -> SseEmitter.event().name(emission.name()).data(emission.data(), MediaType.APPLICATION_JSON))
                .toList();
    }

    /** The curl jobs (the flow's children, then the flow itself) and the embedding jobs of those that completed. */
    private List<CurlProgress.Observation> snapshot(JobSnapshot root) {
        List<CurlProgress.Observation> observations = new ArrayList<>();
        for (String jobId : curlJobs(root)) {
            if (!jobId.equals(root.jobId())) {
                find(jobId).ifPresent(child -> snapshotCurlJob(child, observations));
            }
        }
        snapshotCurlJob(root, observations);
        return observations;
    }

    /** A flow's children in order; one of its curl jobs, followed on its own, itself. */
    private List<String> curlJobs(JobSnapshot root) {
        if (!CurlJobs.BATCH_JOB_TYPE.equals(root.jobType()) || root.data() == null) {
            return List.of(root.jobId());
        }
        int children = json.readTree(root.data()).path("screenshots").asInt(0);
        List<String> ids = new ArrayList<>(children);
        for (int i = 0; i < children; i++) {
            ids.add(FlowIds.child(root.jobId(), i));
        }
        return ids;
    }

    private void snapshotCurlJob(JobSnapshot job, List<CurlProgress.Observation> observations) {
        observations.add(CurlProgress.Observation.of(job));
        if (job.returnValue() == null || !job.queue().equals(CurlJobs.CURL_GENERATION.queue())) {
            return;
        }
        JsonNode result = json.readTree(job.returnValue());
        for (JsonNode id : result.path(CurlJobs.EMBEDDING_JOB_IDS)) {
            find(id.asString()).ifPresent(embedding -> observations.add(CurlProgress.Observation.of(embedding)));
        }
    }

    private Optional<JobSnapshot> find(String jobId) {
        return queries.find(jobId) instanceof JobLookup.Found(JobSnapshot job) ? Optional.of(job) : Optional.empty();
    }
}
