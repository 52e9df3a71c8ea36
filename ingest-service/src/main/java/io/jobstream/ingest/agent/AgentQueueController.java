package io.jobstream.ingest.agent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.JobState;
import io.jobstream.ingest.agent.AgentQueueResponses.BatchQueued;
import io.jobstream.ingest.agent.AgentQueueResponses.ChatQueued;
import io.jobstream.ingest.agent.AgentQueueResponses.Health;
import io.jobstream.ingest.agent.AgentQueueResponses.HealthStats;
import io.jobstream.ingest.agent.AgentQueueResponses.JobAnswer;
import io.jobstream.ingest.agent.AgentQueueResponses.JobList;
import io.jobstream.ingest.agent.AgentQueueResponses.Stats;
import io.jobstream.ingest.agent.AgentQueueResponses.StatsAnswer;
import io.jobstream.ingest.admin.JobAdmin;
import io.jobstream.ingest.api.ApiResponses.ActionResponse;
import io.jobstream.ingest.api.ApiResponses.CompletedResult;
import io.jobstream.ingest.api.ApiResponses.FailedResult;
import io.jobstream.ingest.api.ApiResponses.ResultResponse;
import io.jobstream.ingest.api.ApiResponses.UnfinishedResult;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JobNotFoundException;
import io.jobstream.ingest.api.JobStatusWords;
import io.jobstream.ingest.api.JobViews;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.api.QueueSummary;
import io.jobstream.ingest.api.RequestNumbers;
import io.jobstream.ingest.query.JobFilter;
import io.jobstream.ingest.query.JobLookup;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.query.JobStatusQueries;
import io.jobstream.ingest.query.QueuePauses;
import io.jobstream.ingest.query.StatusUnavailableException;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * Seed 001's Agent Job Queue API ({@code /agent/queue/...}) over the generic job machinery: the
 * agent.chat queue, the job-status store and the admin operations ({@link JobAdmin}, the same ones
 * {@code /api/jobs} and {@code /api/queues} offer for every queue). Routes and bodies are the seed's;
 * POSTs answer 201 as the NestJS original did. Cancel and retry of a batch act on its children too.
 */
@RestController
@RequestMapping("/agent/queue")
public class AgentQueueController {

    static final String QUEUE = TopicCatalog.AGENT_CHAT.queue();
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;
    static final int MAX_BATCH = 100;
    static final long DEFAULT_CLEAN_MILLIS = Duration.ofHours(24).toMillis();
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final AgentJobs jobs;
    private final JobStatusQueries queries;
    private final JobViews views;
    private final JobAdmin admin;
    private final QueuePauses pauses;

    public AgentQueueController(AgentJobs jobs, JobStatusQueries queries, JobViews views, JobAdmin admin, QueuePauses pauses) {
        this.jobs = jobs;
        this.queries = queries;
        this.views = views;
        this.admin = admin;
        this.pauses = pauses;
    }

    @PostMapping("/chat")
    @ResponseStatus(HttpStatus.CREATED)
    public ChatQueued chat(@RequestBody(required = false) JsonNode body) {
        SubmittedJob job = jobs.chat(ChatMessageInput.read(body));
        return new ChatQueued(true, job.jobId(), "Chat job queued successfully", statusUrl(job.jobId()), now());
    }

    @PostMapping("/batch")
    @ResponseStatus(HttpStatus.CREATED)
    public BatchQueued batch(@RequestBody(required = false) JsonNode body) {
        String userId = JsonFields.of(body).text("userId", ChatMessageInput.MAX_ID_CHARS);
        JsonNode messages = body == null ? null : body.get("messages");
        if (messages == null || messages.isNull()) {
            throw new BadRequestException("messages", "is required");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw new BadRequestException("messages", "must be a non-empty array of {message, sessionId}");
        }
        if (messages.size() > MAX_BATCH) {
            throw new BadRequestException("messages", "must have at most " + MAX_BATCH + " items, got " + messages.size());
        }
        List<ChatMessageInput> inputs = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            inputs.add(ChatMessageInput.readItem(messages.get(i), "messages[" + i + "].", userId));
        }
        SubmittedJob job = jobs.batch(inputs, userId);
        return new BatchQueued(true, job.jobId(), inputs.size(), "Batch chat job queued successfully",
                statusUrl(job.jobId()), now());
    }

    @GetMapping("/job/{jobId}")
    public JobAnswer job(@PathVariable String jobId) {
        return new JobAnswer(true, views.of(require(jobId)));
    }

    /** Seed 001's three shapes: the result, "Job is still processing" with status and progress, or "Job failed". */
    @GetMapping("/job/{jobId}/result")
    public ResultResponse result(@PathVariable String jobId) {
        return views.result(require(jobId));
    }

    /** A waiting job never runs; an active one is abandoned. A batch's unfinished messages are cancelled with it. */
    @DeleteMapping("/job/{jobId}")
    public ActionResponse cancel(@PathVariable String jobId) {
        admin.cancel(require(jobId).jobId());
        return new ActionResponse("Job cancelled successfully");
    }

    /** Runs a failed job again with its original payload; for a batch, every failed message. */
    @PostMapping("/job/{jobId}/retry")
    @ResponseStatus(HttpStatus.CREATED)
    public ActionResponse retry(@PathVariable String jobId) {
        admin.retry(require(jobId).jobId());
        return new ActionResponse("Job retry initiated");
    }

    @GetMapping("/jobs")
    public JobList jobs(@RequestParam(required = false) String limit, @RequestParam(required = false) String status) {
        int pageSize = limit(limit);
        Set<JobState> states = Set.of();
        if (status != null && !status.isBlank()) {
            Optional<Set<JobState>> parsed = JobStatusWords.parseFilter(status);
            states = parsed.orElseThrow(() -> new BadRequestException("status",
                    "unknown status '" + status + "'; expected " + JobStatusWords.accepted()));
        }
        List<JobSnapshot> page = queries.list(new JobFilter(QUEUE, states), 0, pageSize).jobs();
        return new JobList(true, page.size(), page.stream().map(views::of).toList());
    }

    @GetMapping("/stats")
    public StatsAnswer stats() {
        QueueSummary counts = counts();
        return new StatsAnswer(true, new Stats(counts.waiting(), counts.active(), counts.completed(), counts.failed(),
                counts.delayed(), counts.paused(), counts.total()), now());
    }

    /** Removes finished jobs that finished more than {@code olderThan} milliseconds ago (default 24 h). */
    @PostMapping("/clean")
    @ResponseStatus(HttpStatus.CREATED)
    public ActionResponse clean(@RequestParam(required = false) String olderThan) {
        long millis = RequestNumbers.wholeNumber("olderThan", olderThan, DEFAULT_CLEAN_MILLIS);
        admin.clean(QUEUE, Duration.ofMillis(millis));
        return new ActionResponse("Cleaned jobs older than " + millis + "ms");
    }

    /** Cluster-wide: every agent-processor instance starts no new job until resumed; nothing is lost. */
    @PostMapping("/pause")
    @ResponseStatus(HttpStatus.CREATED)
    public ActionResponse pause() {
        admin.pause(QUEUE);
        return new ActionResponse("Queue paused");
    }

    @PostMapping("/resume")
    @ResponseStatus(HttpStatus.CREATED)
    public ActionResponse resume() {
        admin.resume(QUEUE);
        return new ActionResponse("Queue resumed");
    }

    /** Healthy when the queue's counts can be read from every instance; 503 while they cannot (rebalance, instance down). */
    @GetMapping("/health")
    public ResponseEntity<Health> health() {
        try {
            QueueSummary counts = counts();
            return ResponseEntity.ok(new Health(true, "healthy", "Agent Queue",
                    new HealthStats(counts.waiting(), counts.active(), counts.completed(), counts.failed()), null, now()));
        } catch (StatusUnavailableException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new Health(false, "unhealthy", "Agent Queue", null, e.getMessage(), now()));
        }
    }

    private QueueSummary counts() {
        return QueueSummary.of(QUEUE, queries.countsByQueue().getOrDefault(QUEUE, Map.of()), pauses.isPaused(QUEUE));
    }

    /** A job of this queue; another queue's job is not found here, as with BullMQ's {@code queue.getJob}. */
    private JobSnapshot require(String jobId) {
        return queries.require(jobId, job -> QUEUE.equals(job.queue()));
    }

    private static int limit(String raw) {
        int limit = RequestNumbers.count("limit", raw, DEFAULT_LIMIT, MAX_LIMIT);
        if (limit == 0) {
            throw new BadRequestException("limit", "must be at least 1");
        }
        return limit;
    }

    static String statusUrl(String jobId) {
        return "/agent/queue/job/" + UriUtils.encodePathSegment(jobId, StandardCharsets.UTF_8);
    }

    static String now() {
        return ISO_MILLIS.format(Instant.now());
    }
}
