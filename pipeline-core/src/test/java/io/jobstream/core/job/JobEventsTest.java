package io.jobstream.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jobstream.events.JobEvent;

class JobEventsTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    private static final JobMetadata JOB = new JobMetadata("deep", "resize", 1, 3, AT, null, null, null);

    @Test
    void anAttemptsStartIsItsActiveOrWhatItsOutcomeTells() {
        JobEvent completed = JobEvents.completed("thumbnails", JOB, "{}", AT.plusSeconds(2));

        assertThat(JobEvents.startOf(JobEvents.active("thumbnails", JOB, AT))).isEqualTo(AT);
        assertThat(JobEvents.startOf(JobEvents.withStartedAt(completed, AT.plusSeconds(1)))).isEqualTo(AT.plusSeconds(1));
        assertThat(JobEvents.withStartedAt(completed, null)).as("announced: nothing to tell").isSameAs(completed);
        assertThat(JobEvents.startOf(completed)).isNull();
    }

    @Test
    void aFailureCarriesItsStackAndItsCauseBeneathADeepFrameworkStack() {
        IllegalStateException error = new IllegalStateException("render failed", new IOException("disk full"));

        JobEvent failed = JobEvents.failed("thumbnails", JOB, error, AT);

        // Under JUnit the stack is deep: each exception keeps its first frames, so the cause still shows.
        assertThat(failed.getErrorStack())
                .startsWith("java.lang.IllegalStateException: render failed\n\tat "
                        + JobEventsTest.class.getName() + ".aFailureCarriesItsStackAndItsCauseBeneathADeepFrameworkStack(")
                .contains("\n\t... ", " more\nCaused by: java.io.IOException: disk full\n\tat ")
                .hasSizeLessThan(JobEvents.MAX_STACK_CHARS);
        assertThat(failed.getErrorStack().lines().filter(line -> line.startsWith("\tat ")))
                .hasSize(2 * JobEvents.FRAMES_PER_ERROR);
    }

    @Test
    void aLongChainOfCausesIsTrimmedToTheLimit() {
        Throwable chain = new IOException("root");
        for (int i = 0; i < 20; i++) {
            chain = new IllegalStateException("wrapped " + i, chain);
        }

        String stack = JobEvents.retryScheduled("thumbnails", JOB, chain, AT.plusSeconds(1), AT).getErrorStack();

        assertThat(stack).hasSize(JobEvents.MAX_STACK_CHARS)
                .startsWith("java.lang.IllegalStateException: wrapped 19")
                .endsWith("\n\t... (trimmed)");
    }
}
