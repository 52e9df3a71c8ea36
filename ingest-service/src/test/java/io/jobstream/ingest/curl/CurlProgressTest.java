package io.jobstream.ingest.curl;

import static io.jobstream.ingest.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.curl.CurlProgress.CurlStatus;
import io.jobstream.ingest.curl.CurlProgress.EmbeddingStatus;

/** The seed's statuses folded from job events that arrive in any order across partitions. */
class CurlProgressTest {

    private static final Instant T = Instant.parse("2026-12-06T03:00:00Z");

    private final CurlProgress progress = new CurlProgress("c1");
    private final List<String> sent = new ArrayList<>();

    @Test
    void aJobsStatusesGoForwardOnlyAndTheStreamWaitsForItsEmbeddings() {
        observe(curl("c1", JobState.QUEUED, null));
        observe(curl("c1", JobState.ACTIVE, null));
        observe(curl("c1", JobState.QUEUED, null));
        observe(curl("c1", JobState.PROGRESS, null));
        // The embedding job's events can come before the curl job's completion: they are on other partitions.
        observe(embedding("api-resource:c1:1", JobState.ACTIVE));
        observe(curl("c1", JobState.COMPLETED, "{\"embeddingJobIds\": [\"api-resource:c1:1\", \"api-resource:c1:2\"]}"));
        observe(embedding("api-resource:c1:1", JobState.COMPLETED));
        assertThat(progress.finished()).isFalse();
        observe(embedding("api-resource:c1:2", JobState.QUEUED));
        observe(embedding("api-resource:c1:2", JobState.ACTIVE));
        observe(embedding("api-resource:c1:2", JobState.DEAD_LETTERED));

        assertThat(sent).containsExactly("curl_progress c1 queued", "curl_progress c1 processing",
                "embedding_progress api-resource:c1:1 start", "curl_progress c1 completed",
                "embedding_progress api-resource:c1:1 complete", "embedding_progress api-resource:c1:2 start",
                "embedding_progress api-resource:c1:2 error");
        assertThat(progress.finished()).isTrue();
    }

    @Test
    void aFlowsStreamTakesItsChildrenAndTheirEmbeddingsAndNothingElse() {
        assertThat(progress.concerns(curl("c1:2", JobState.QUEUED, null).setParentJobId("c1").build())).isTrue();
        assertThat(progress.concerns(embedding("api-resource:c1:2:1", JobState.ACTIVE).setParentJobId("c1:2").build())).isTrue();
        assertThat(progress.concerns(curl("c2", JobState.QUEUED, null).build())).isFalse();
        assertThat(progress.concerns(embedding("api-resource:c2:1", JobState.ACTIVE).setParentJobId("c2").build())).isFalse();
        assertThat(progress.concerns(curl("c1", JobState.QUEUED, null).setQueue("embedding").build())).isFalse();
    }

    @Test
    void aRunningFlowIsSentAgainEachTimeItsProgressGoesUp() {
        observe(curl("c1", JobState.ACTIVE, null));
        observe(curl("c1", JobState.PROGRESS, null).setProgress(10));
        observe(curl("c1", JobState.PROGRESS, null).setProgress(10));
        observe(curl("c1", JobState.PROGRESS, null).setProgress(60));
        observe(curl("c1", JobState.COMPLETED, "{}").setProgress(100));
        observe(curl("c1", JobState.PROGRESS, null).setProgress(90));

        assertThat(sent).containsExactly("curl_progress c1 processing", "curl_progress c1 processing",
                "curl_progress c1 processing", "curl_progress c1 completed");
    }

    @Test
    void aFailedCurlJobEndsTheStreamWithAnError() {
        observe(curl("c1", JobState.ACTIVE, null));
        observe(curl("c1", JobState.DEAD_LETTERED, null));

        assertThat(sent).containsExactly("curl_progress c1 processing", "curl_progress c1 error");
        assertThat(progress.finished()).isTrue();
    }

    @Test
    void aJobThatEndedBeforeItsWorkerAnnouncedItStillShowsItsStart() {
        observe(curl("c1", JobState.QUEUED, null));
        observe(curl("c1", JobState.COMPLETED, "{\"embeddingJobIds\": [\"api-resource:c1:1\"]}").setStartedAt(T));
        observe(embedding("api-resource:c1:1", JobState.COMPLETED).setStartedAt(T));

        assertThat(sent).containsExactly("curl_progress c1 queued", "curl_progress c1 processing",
                "curl_progress c1 completed", "embedding_progress api-resource:c1:1 start",
                "embedding_progress api-resource:c1:1 complete");
        assertThat(progress.finished()).isTrue();
    }

    private void observe(JobEvent.Builder event) {
        for (CurlProgress.Emission emission : progress.observe(CurlProgress.Observation.of(event.build()))) {
            String jobId = emission.data() instanceof CurlStatus curl ? curl.jobId() : ((EmbeddingStatus) emission.data()).jobId();
            String status = emission.data() instanceof CurlStatus curl ? curl.status() : ((EmbeddingStatus) emission.data()).status();
            sent.add(emission.name() + " " + jobId + " " + status);
        }
    }

    private static JobEvent.Builder curl(String jobId, JobState state, String returnValue) {
        return event(jobId, "curl-generation", state, T, T).setReturnValue(returnValue);
    }

    private static JobEvent.Builder embedding(String jobId, JobState state) {
        return event(jobId, "embeddings-generation", state, T, T).setParentJobId("c1");
    }
}
