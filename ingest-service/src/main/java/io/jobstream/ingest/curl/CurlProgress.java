package io.jobstream.ingest.curl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.jobstream.core.flow.FlowIds;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.jobs.CurlJobs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 003's progress events for one curl job or flow, folded from its jobs' lifecycle: the curl
 * jobs' {@code curl_progress} ({@code queued}, {@code processing}, {@code completed}, {@code error})
 * and their resources' {@code embedding_progress} ({@code start}, {@code complete}, {@code error}).
 * A job's status only moves forward, so a late event (or the snapshot read on connect) never takes
 * it back. It is finished when the root job has finished and so has every embedding job it queued.
 */
final class CurlProgress {

    static final String CURL_PROGRESS = "curl_progress";
    static final String EMBEDDING_PROGRESS = "embedding_progress";

    /** One SSE event to send: its name and its data. */
    record Emission(String name, Object data) {
    }

    /** {@code curl_progress}'s data. */
    record CurlStatus(String jobId, String parentJobId, String status, Integer progress, int attempt, String error,
                      JsonNode result, Instant at) {
    }

    /** {@code embedding_progress}'s data. */
    record EmbeddingStatus(String jobId, String curlJobId, String status, String error, Instant at) {
    }

    /**
     * What one event or status read says about one job.
     *
     * @param startedAt an outcome's attempt start, when its worker published no ACTIVE for it
     */
    record Observation(String jobId, String queue, String parentJobId, JobState state, Integer progress, int attempt,
                       String error, String returnValue, Instant at, Instant startedAt) {

        static Observation of(JobEvent event) {
            return new Observation(event.getJobId(), event.getQueue(), event.getParentJobId(), event.getState(),
                    event.getProgress(), event.getAttempt(), event.getErrorMessage(), event.getReturnValue(), event.getTimestamp(),
                    event.getStartedAt());
        }

        static Observation of(JobSnapshot job) {
            return new Observation(job.jobId(), job.queue(), job.parentJobId(), job.state(), job.progress(), job.attempt(),
                    job.errorMessage(), job.returnValue(), job.updatedAt(), null);
        }

        /** The ACTIVE event the worker did not publish. */
        Observation start() {
            return new Observation(jobId, queue, parentJobId, JobState.ACTIVE, 0, attempt, null, null, startedAt, null);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String rootId;
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, Integer> progresses = new HashMap<>();
    private final Set<String> expectedEmbeddings = new HashSet<>();
    private final Set<String> finishedEmbeddings = new HashSet<>();
    private boolean rootFinished;

    CurlProgress(String rootId) {
        this.rootId = rootId;
    }

    /** Whether {@code event} belongs to this stream: the root, a child of the flow, or an embedding job of either. */
    boolean concerns(JobEvent event) {
        String queue = event.getQueue();
        if (CurlJobs.CURL_GENERATION.queue().equals(queue)) {
            return event.getJobId().equals(rootId) || rootId.equals(event.getParentJobId());
        }
        return CurlJobs.EMBEDDINGS_GENERATION.queue().equals(queue) && event.getParentJobId() != null
                && (event.getParentJobId().equals(rootId) || FlowIds.indexOf(rootId, event.getParentJobId()).isPresent());
    }

    List<Emission> observe(Observation seen) {
        List<Emission> emissions = new ArrayList<>();
        if (seen.startedAt() != null) {
            // A job that ended before its worker announced it still shows that it started.
            emissions.addAll(emissionsOf(seen.start()));
        }
        emissions.addAll(emissionsOf(seen));
        return emissions;
    }

    private List<Emission> emissionsOf(Observation seen) {
        List<Emission> emissions = new ArrayList<>();
        if (CurlJobs.EMBEDDINGS_GENERATION.queue().equals(seen.queue())) {
            embeddingStatus(seen.state()).ifPresent(status -> {
                if (advance(seen.jobId(), status)) {
                    emissions.add(new Emission(EMBEDDING_PROGRESS, new EmbeddingStatus(seen.jobId(), seen.parentJobId(), status,
                            seen.error(), seen.at())));
                }
                if (!status.equals("start")) {
                    finishedEmbeddings.add(seen.jobId());
                }
            });
            return emissions;
        }
        curlStatus(seen.state()).ifPresent(status -> {
            JsonNode result = seen.returnValue() == null ? null : JSON.readTree(seen.returnValue());
            if (advance(seen.jobId(), status) || progressed(seen, status)) {
                if (seen.progress() != null) {
                    progresses.put(seen.jobId(), seen.progress());
                }
                emissions.add(new Emission(CURL_PROGRESS, new CurlStatus(seen.jobId(), seen.parentJobId(), status, seen.progress(),
                        seen.attempt(), seen.error(), result, seen.at())));
            }
            if (status.equals("completed")) {
                expectEmbeddingsOf(result);
            }
            if (seen.jobId().equals(rootId) && (status.equals("completed") || status.equals("error"))) {
                rootFinished = true;
            }
        });
        return emissions;
    }

    /** The embedding jobs a curl job's result lists; a flow's result lists its children's results. */
    List<String> expectEmbeddingsOf(JsonNode result) {
        List<String> ids = new ArrayList<>();
        if (result == null) {
            return ids;
        }
        if (result.has("results")) {
            result.get("results").forEach(child -> ids.addAll(expectEmbeddingsOf(child)));
            return ids;
        }
        result.path(CurlJobs.EMBEDDING_JOB_IDS).forEach(id -> ids.add(id.asString()));
        expectedEmbeddings.addAll(ids);
        return ids;
    }

    boolean finished() {
        return rootFinished && finishedEmbeddings.containsAll(expectedEmbeddings);
    }

    /** The running root's progress went up: a flow's progress counts its curl jobs and their embedding jobs. */
    private boolean progressed(Observation seen, String status) {
        if (!seen.jobId().equals(rootId) || !status.equals("processing") || seen.progress() == null
                || !Integer.valueOf(1).equals(ranks.get(seen.jobId()))) {
            return false;
        }
        Integer before = progresses.get(seen.jobId());
        return before == null || seen.progress() > before;
    }

    /** True if {@code status} moves the job forward (queued < processing/start < completed/error). */
    private boolean advance(String jobId, String status) {
        int rank = switch (status) {
            case "queued" -> 0;
            case "processing", "start" -> 1;
            default -> 2;
        };
        Integer before = ranks.get(jobId);
        if (before != null && before >= rank) {
            return false;
        }
        ranks.put(jobId, rank);
        return true;
    }

    static Optional<String> curlStatus(JobState state) {
        return Optional.ofNullable(switch (state) {
            case QUEUED, DELAYED -> "queued";
            case ACTIVE, PROGRESS, RETRY_SCHEDULED -> "processing";
            case COMPLETED -> "completed";
            case FAILED, DEAD_LETTERED, CANCELLED -> "error";
            case REMOVED -> null;
        });
    }

    static Optional<String> embeddingStatus(JobState state) {
        return Optional.ofNullable(switch (state) {
            case ACTIVE -> "start";
            case COMPLETED -> "complete";
            case FAILED, DEAD_LETTERED, CANCELLED -> "error";
            case QUEUED, DELAYED, PROGRESS, RETRY_SCHEDULED, REMOVED -> null;
        });
    }
}
