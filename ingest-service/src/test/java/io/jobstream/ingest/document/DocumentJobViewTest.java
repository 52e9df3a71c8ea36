package io.jobstream.ingest.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobState;
import io.jobstream.ingest.document.DocumentJobView.StepView;
import io.jobstream.ingest.query.JobSnapshot;

/** Seed 002's per-step view, derived from the one document job's state, step and progress. */
class DocumentJobViewTest {

    @Test
    void aQueuedJobHasEveryStepPending() {
        DocumentJobView view = view(JobState.QUEUED, null, 0, null);

        assertThat(view.status()).isEqualTo("queued");
        assertThat(view.progress()).isZero();
        assertThat(view.steps().values()).containsOnly(new StepView("pending", 0));
    }

    @Test
    void theCurrentStepRunsWithItsProgressAfterTheCompleteOnes() {
        DocumentJobView view = view(JobState.PROGRESS, "document.ner", 50, null);

        assertThat(view.status()).isEqualTo("recognizing");
        assertThat(view.steps()).containsExactly(
                Map.entry("extraction", new StepView("complete", 100)),
                Map.entry("classification", new StepView("complete", 100)),
                Map.entry("ner", new StepView("running", 50)),
                Map.entry("ingestion", new StepView("pending", 0)));
        assertThat(view.progress()).isEqualTo((2 * 100 + 50) / 4);
    }

    @Test
    void aStepThatReportedOneHundredHasHandedTheJobToTheNext() {
        DocumentJobView view = view(JobState.PROGRESS, "document.extraction", 100, null);

        assertThat(view.status()).isEqualTo("classifying");
        assertThat(view.steps().get("extraction")).isEqualTo(new StepView("complete", 100));
        assertThat(view.steps().get("classification")).isEqualTo(new StepView("running", 0));
        assertThat(view.progress()).isEqualTo(25);
    }

    @Test
    void aCompletedJobHasEveryStepCompleteAtOneHundred() {
        DocumentJobView view = view(JobState.COMPLETED, "document.ingestion", 100, null);

        assertThat(view.status()).isEqualTo("completed");
        assertThat(view.progress()).isEqualTo(100);
        assertThat(view.steps().values()).containsOnly(new StepView("complete", 100));
    }

    @Test
    void aDeadLetteredJobNamesTheStepThatFailed() {
        DocumentJobView view = view(JobState.DEAD_LETTERED, "document.ner", 20, "model unavailable");

        assertThat(view.status()).isEqualTo("failed");
        assertThat(view.message()).isEqualTo("Failed at ner: model unavailable");
        assertThat(view.steps().get("ner")).isEqualTo(new StepView("failed", 20));
        assertThat(view.steps().get("ingestion")).isEqualTo(new StepView("pending", 0));
        assertThat(view.error()).isEqualTo("model unavailable");
    }

    @Test
    void aFailureRightAfterAHandOffIsTheNextStepsFailure() {
        DocumentJobView view = view(JobState.DEAD_LETTERED, "document.extraction", 100, "text is gone");

        assertThat(view.steps().get("extraction").status()).isEqualTo("complete");
        assertThat(view.steps().get("classification").status()).isEqualTo("failed");
    }

    private static DocumentJobView view(JobState state, String step, int progress, String error) {
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        JobSnapshot job = new JobSnapshot("doc-1", "document.extraction", "document", state, 0, 1, 3, progress, step, at, at, null, at,
                null, error == null ? null : "java.lang.RuntimeException", error, null, null, null, null, null);
        return DocumentJobView.of(job, "report.pdf");
    }
}
