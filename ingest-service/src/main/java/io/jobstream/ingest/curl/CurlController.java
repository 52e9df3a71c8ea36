package io.jobstream.ingest.curl;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import io.jobstream.events.JobEvent;
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
 * Seed 003's curl generation: screenshots in (one job, or several as one flow), and their progress
 * as the seed's Server-Sent Events, {@code curl_progress} and {@code embedding_progress}.
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

    /** @param jobIds the screenshots' jobs in request order; for one screenshot, {@code [jobId]} */
    public record SubmitResponse(boolean success, String jobId, List<String> jobIds, boolean flow, boolean duplicate,
                                 String events, String message) {
    }

    public record ResourcesResponse(boolean success, String jobId, int count, List<ApiResource> resources) {
    }

    @PostMapping
    public ResponseEntity<SubmitResponse> submit(HttpServletRequest request) throws IOException {
        CurlRequests.Request read = CurlRequests.read(request, properties);
        CurlSubmissions.Submission submitted = submissions.submit(read.jobId(), read.screenshots());
        return ResponseEntity.status(submitted.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new SubmitResponse(true, submitted.jobId(), submitted.jobIds(), submitted.flow(), submitted.duplicate(),
                        "/api/curl/jobs/" + submitted.jobId() + "/events",
                        submitted.duplicate() ? "A job with this id is unfinished; it was not added again"
                                : submitted.jobIds().size() + " screenshot" + (submitted.flow() ? "s" : "") + " queued for curl generation"));
    }

    /** The API resources a job (or every job of a flow) documented, in order; 404 for an unknown id. */
    @GetMapping("/{id}/resources")
    public ResourcesResponse resources(@PathVariable String id) {
        List<ApiResource> found = new ArrayList<>();
        for (String jobId : curlJobs(queries.require(id))) {
            found.addAll(resources.byJob(jobId));
        }
        return new ResourcesResponse(true, id, found.size(), found);
    }

    /**
     * The job's (or flow's) events until it and its resources' embedding jobs have finished: first
     * the statuses as they are now, then every change. 404 for an unknown id.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String id) {
        Relay relay = new Relay(new SseEmitter(timeoutMillis), new CurlProgress(id));
        // Listen before reading the statuses, so no transition falls between the two.
        relay.attach(stream.listen(relay.progress::concerns, relay::onEvent));
        List<CurlProgress.Observation> now;
        try {
            now = snapshot(queries.require(id));
        } catch (RuntimeException e) {
            relay.detach();
            throw e;
        }
        relay.start(now);
        return relay.emitter;
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

    /** A flow's children in order; a single job itself. */
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

    /** Holds events back until the statuses read on connect are sent, then relays them in order. */
    private static final class Relay {
        private final SseEmitter emitter;
        private final CurlProgress progress;
        private final List<JobEvent> early = new ArrayList<>();
        private AutoCloseable subscription;
        private boolean started;
        private boolean done;

        Relay(SseEmitter emitter, CurlProgress progress) {
            this.emitter = emitter;
            this.progress = progress;
            emitter.onCompletion(this::detach);
            emitter.onTimeout(this::detach);
            emitter.onError(error -> detach());
        }

        void attach(AutoCloseable subscription) {
            this.subscription = subscription;
        }

        synchronized void start(List<CurlProgress.Observation> now) {
            send(SseEmitter.event().comment("curl job events"));
            started = true;
            now.forEach(this::relay);
            List<JobEvent> held = List.copyOf(early);
            early.clear();
            held.forEach(event -> relay(CurlProgress.Observation.of(event)));
        }

        synchronized void onEvent(JobEvent event) {
            if (!started) {
                early.add(event);
            } else {
                relay(CurlProgress.Observation.of(event));
            }
        }

        private void relay(CurlProgress.Observation observation) {
            if (done) {
                return;
            }
            for (CurlProgress.Emission emission : progress.observe(observation)) {
                send(SseEmitter.event().name(emission.name()).data(emission.data(), MediaType.APPLICATION_JSON));
            }
            if (progress.finished()) {
                done = true;
                detach();
                emitter.complete();
            }
        }

        private void send(SseEmitter.SseEventBuilder event) {
            try {
                emitter.send(event);
            } catch (IOException gone) {
                detach();
                throw new UncheckedIOException(gone);
            }
        }

        void detach() {
            if (subscription != null) {
                try {
                    subscription.close();
                } catch (Exception ignored) {
                    // Closing a subscription only removes it from a set.
                }
            }
        }
    }
}
