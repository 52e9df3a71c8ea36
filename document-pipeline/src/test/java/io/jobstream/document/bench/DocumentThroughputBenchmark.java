package io.jobstream.document.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.document.DocumentPipelineInstance;
import io.jobstream.document.SampleDocuments;
import io.jobstream.events.DocumentSubmitted;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.Upload;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/**
 * On-demand benchmark (not a test: surefire runs only *Test and *IT), run by
 * {@code scripts/bench-documents.sh [documents]}: small PDF, DOCX and HTML documents through all
 * four steps on one pipeline instance with the configured concurrency (4 per step), every
 * component on this machine. Prints documents per minute and each step's mean time.
 */
class DocumentThroughputBenchmark {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();
    private static final List<String> TOPICS = List.of(SampleDocuments.FINANCE, SampleDocuments.LEGAL, SampleDocuments.TECHNOLOGY,
            SampleDocuments.HEALTH);

    @TempDir
    static Path dataDir;

    @Test
    void documentsPerMinuteThroughAllSteps() throws Exception {
        int count = Integer.getInteger("bench.documents", 200);
        try (DocumentPipelineInstance pipeline = DocumentPipelineInstance.start(kafka, postgres, dataDir, List.of());
                JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "document-benchmark", 2);
                TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS)) {
            DocumentUploads uploads = pipeline.bean(DocumentUploads.class);
            List<JobSubmission<DocumentSubmitted>> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                jobs.add(document(uploads, i));
            }

            Instant start = Instant.now();
            publisher.submitAll(DocumentJobs.EXTRACTION.queue(), jobs);
            Await.until(Duration.ofMinutes(30), count + " documents completed", () -> completed(events) >= count);
            Duration elapsed = Duration.between(start, Instant.now());

            System.out.printf("%n== document pipeline benchmark ==%n");
            System.out.printf("documents: %d (PDF, DOCX, HTML in turn; ~%d characters each)%n", count, TOPICS.getFirst().length() + 60);
            System.out.printf("elapsed: %.1f s%n", elapsed.toMillis() / 1000.0);
            System.out.printf("throughput: %.0f documents/minute through all four steps%n", count * 60_000.0 / elapsed.toMillis());
            stepTimes(events).forEach((step, mean) -> System.out.printf("mean time in %s (start to hand-off): %.0f ms%n", step, mean));
        }
    }

    private static JobSubmission<DocumentSubmitted> document(DocumentUploads uploads, int i) throws Exception {
        String text = TOPICS.get(i % TOPICS.size()) + " Document " + i + " was reviewed by Warren Buffett in Omaha.";
        String fileName;
        String type;
        byte[] content;
        switch (i % 3) {
            case 0 -> {
                fileName = "doc-" + i + ".pdf";
                type = "application/pdf";
                content = SampleDocuments.pdf(List.of("Document " + i, text));
            }
            case 1 -> {
                fileName = "doc-" + i + ".docx";
                type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                content = SampleDocuments.docx(List.of("Document " + i, text));
            }
            default -> {
                fileName = "doc-" + i + ".html";
                type = "text/html";
                content = SampleDocuments.html("Document " + i, text);
            }
        }
        String ref = uploads.store(new Upload(fileName, type, content));
        String jobId = "bench-" + i;
        return JobSubmission.of(jobId, DocumentJobs.JOB_TYPE, DocumentSubmitted.newBuilder()
                .setJobId(jobId).setFileName(fileName).setContentType(type).setSizeBytes(content.length)
                .setContentRef(ref).setSubmittedAt(Instant.now()).build());
    }

    private static long completed(TopicTail events) {
        return events.values(bytes -> EVENTS.deserialize(TopicCatalog.JOB_EVENTS, bytes)).stream()
                .filter(e -> e.getState() == JobState.COMPLETED && e.getJobId().startsWith("bench-"))
                .count();
    }

    /**
     * Per step: mean of (the step's last PROGRESS 100 or COMPLETED) minus its start (its ACTIVE, or the
     * start its outcome tells when it ended before it was announced), over all documents.
     */
    private static Map<String, Double> stepTimes(TopicTail events) {
        Map<String, Map<String, Instant>> active = new HashMap<>();
        Map<String, Map<String, Instant>> done = new HashMap<>();
        events.values(bytes -> EVENTS.deserialize(TopicCatalog.JOB_EVENTS, bytes)).stream()
                .filter(e -> e.getJobId().startsWith("bench-"))
                .forEach(e -> {
                    Instant start = JobEvents.startOf(e);
                    if (start != null) {
                        active.computeIfAbsent(e.getQueue(), q -> new HashMap<>()).put(e.getJobId(), start);
                    }
                    if (e.getState() == JobState.COMPLETED
                            || (e.getState() == JobState.PROGRESS && Integer.valueOf(100).equals(e.getProgress())
                                && e.getQueue().equals(e.getStep()))) {
                        done.computeIfAbsent(e.getQueue(), q -> new HashMap<>()).put(e.getJobId(), e.getTimestamp());
                    }
                });
        Map<String, Double> means = new LinkedHashMap<>();
        for (DocumentJobs.Step step : DocumentJobs.STEPS) {
            Map<String, Instant> starts = active.getOrDefault(step.eventStep(), Map.of());
            Map<String, Instant> ends = done.getOrDefault(step.eventStep(), Map.of());
            means.put(step.name(), starts.entrySet().stream().filter(s -> ends.containsKey(s.getKey()))
                    .mapToLong(s -> Duration.between(s.getValue(), ends.get(s.getKey())).toMillis())
                    .average().orElse(Double.NaN));
        }
        return means;
    }
}
