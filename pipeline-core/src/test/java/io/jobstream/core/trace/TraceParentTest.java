package io.jobstream.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobMetadata;

class TraceParentTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void parsesW3cHeadersAndRefusesInvalidOnes() {
        assertThat(TraceParent.parse("00-" + TRACE_ID + "-00f067aa0ba902b7-01"))
                .contains(new TraceParent(TRACE_ID, "00f067aa0ba902b7", "01"));
        assertThat(TraceParent.parse(null)).isEmpty();
        assertThat(TraceParent.parse("01-" + TRACE_ID + "-00f067aa0ba902b7-01")).as("unknown version").isEmpty();
        assertThat(TraceParent.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).as("all-zero trace").isEmpty();
        assertThat(TraceParent.parse("00-" + TRACE_ID + "-" + "0".repeat(16) + "-01")).as("all-zero span").isEmpty();
        assertThat(TraceParent.parse("00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01")).as("upper case").isEmpty();
    }

    @Test
    void aChildKeepsTheTraceWithANewSpan() {
        TraceParent parent = TraceParent.random();
        TraceParent child = parent.child();
        assertThat(child.traceId()).isEqualTo(parent.traceId());
        assertThat(child.spanId()).matches("[0-9a-f]{16}");
        assertThat(TraceParent.parse(child.toString())).contains(child);
    }

    @Test
    void aScopeSetsTheThreadsTraceAndRestoresThePreviousOne() {
        TraceParent outer = TraceParent.random();
        TraceParent inner = TraceParent.random();
        try (TraceParent.Scope first = TraceParent.enter(outer)) {
            try (TraceParent.Scope second = TraceParent.enter(inner)) {
                assertThat(TraceParent.current()).contains(inner);
            }
            assertThat(TraceParent.current()).contains(outer);
        }
        assertThat(TraceParent.current()).isEmpty();
    }

    @Test
    void jobHeadersCarryTheTraceAsW3cAndARecordWithOnlyW3cJoinsIt() {
        RecordHeaders headers = new RecordHeaders();
        new JobMetadata("job-1", "resize", 1, 3, java.time.Instant.EPOCH, TRACE_ID, null, null).writeTo(headers);
        String written = new String(headers.lastHeader(TraceParent.HEADER).value());
        assertThat(TraceParent.parse(written)).hasValueSatisfying(trace -> assertThat(trace.traceId()).isEqualTo(TRACE_ID));

        RecordHeaders foreign = new RecordHeaders();
        foreign.add(TraceParent.HEADER, ("00-" + TRACE_ID + "-00f067aa0ba902b7-01").getBytes());
        assertThat(JobMetadata.from(foreign, "key", "type", 3, 0).traceId()).isEqualTo(TRACE_ID);
        assertThat(JobMetadata.from(new RecordHeaders(), "key", "type", 3, 0).traceId()).isNull();
        JobHeaders.put(foreign, JobHeaders.TRACE_ID, "own-trace");
        assertThat(JobMetadata.from(foreign, "key", "type", 3, 0).traceId()).isEqualTo("own-trace");
    }
}
