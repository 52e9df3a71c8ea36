package io.jobstream.ingest.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.control.QueueControl;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.trace.TraceParent;
import io.jobstream.document.DocumentPipelineInstance;
import io.jobstream.document.FaultyNer;
import io.jobstream.document.SampleDocuments;
import io.jobstream.events.ControlCommand;
import io.jobstream.events.DocumentSubmitted;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.submit.JobIntakeStreams;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002's API end to end: uploads through ingest-service, the real document pipeline (Tika,
 * MiniLM, CoreNLP) behind it on a real broker and PostgreSQL, and the per-step status it shows.
 */
class DocumentRoutesIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int MAX_SIZE = 256 * 1024;
    private static final Deserializer<DocumentSubmitted> SUBMITTED = AvroSerde.of(DocumentSubmitted.class).deserializer();
    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();
    private static final List<String> STEPS = List.of("extraction", "classification", "ner", "ingestion");

    @TempDir
    static Path pipelineDir;

    @TempDir
    static Path ingestDir;

    static DocumentPipelineInstance pipeline;
    static IngestInstance ingest;
    static TopicTail extractionQueue;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        // The pipeline migrates the content database, as it does in production.
        pipeline = DocumentPipelineInstance.start(kafka, postgres, pipelineDir, List.of(FaultyNer.class),
                "--jobstream.queues[document.ner].retry.base-delay=200ms");
        ingest = IngestInstance.start(kafka.bootstrapServers(), "ingest-documents-test", ingestDir, postgres,
                "--jobstream.ingest.documents.max-size=" + MAX_SIZE + "B");
        extractionQueue = new TopicTail(kafka.bootstrapServers(), TopicCatalog.DOCUMENT_EXTRACTION.requests());
        jdbc = new JdbcTemplate(postgres.dataSource());
        Await.until(WAIT, "ingest-service running", ingest::isRunning);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        extractionQueue.close();
        ingest.close();
        pipeline.close();
    }

    @Test
    void aPdfADocxAndAnHtmlPageUploadedGoThroughEveryStepAndShowEachComplete() throws Exception {
        byte[] pdf = SampleDocuments.pdf(List.of("Quarterly report", SampleDocuments.FINANCE, SampleDocuments.BUFFETT));
        Map<String, Http.Response> answers = Map.of(
                "report.pdf", Multipart.upload(ingest.uri("/api/pipeline/process"), "report.pdf", "application/pdf", pdf, null),
                "agreement.docx", Multipart.upload(ingest.uri("/api/pipeline/process"), "agreement.docx", "application/octet-stream",
                        SampleDocuments.docx(List.of("Licence agreement", SampleDocuments.LEGAL)), null),
                "service.html", Multipart.upload(ingest.uri("/api/pipeline/process"), "service.html", "text/html",
                        SampleDocuments.html("Service architecture", SampleDocuments.TECHNOLOGY), null));

        answers.forEach((fileName, answer) -> {
            assertThat(answer.status()).as(fileName + ": " + answer).isEqualTo(202);
            assertThat(answer.body().get("success").asBoolean()).isTrue();
            assertThat(answer.body().get("fileName").asString()).isEqualTo(fileName);
        });
        assertThat(answers.get("agreement.docx").body().get("mediaType").asString())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        for (Http.Response answer : answers.values()) {
            String jobId = answer.body().get("jobId").asString();
            JsonNode job = awaitStatus(jobId, "completed");
            assertThat(job.get("jobId").asString()).isEqualTo(jobId);
            assertThat(job.get("progress").asInt()).isEqualTo(100);
            assertThat(job.get("message").asString()).isEqualTo("Document processed");
            STEPS.forEach(step -> {
                assertThat(job.get("steps").get(step).get("status").asString()).as(jobId + " " + step).isEqualTo("complete");
                assertThat(job.get("steps").get(step).get("progress").asInt()).as(jobId + " " + step).isEqualTo(100);
            });
        }

        // Claim check: the queue's record carries a reference, the bytes are in PostgreSQL once.
        String pdfJob = answers.get("report.pdf").body().get("jobId").asString();
        ConsumerRecord<String, byte[]> record = extractionQueue.records().stream().filter(r -> r.key().equals(pdfJob)).findFirst().orElseThrow();
        assertThat(record.value().length).isLessThan(1024);
        DocumentSubmitted submitted = SUBMITTED.deserialize(record.topic(), record.value());
        assertThat(submitted.getSizeBytes()).isEqualTo(pdf.length);
        assertThat(jdbc.queryForObject("SELECT size_bytes FROM document_uploads WHERE content_ref = ?", Long.class,
                submitted.getContentRef())).isEqualTo(pdf.length);
        assertThat(jdbc.queryForObject("SELECT label FROM documents WHERE document_id = ?", String.class,
                answers.get("agreement.docx").body().get("jobId").asString())).isEqualTo("legal");
    }

    @Test
    void jsonWithTextOrBase64ContentIsAcceptedToo() {
        Http.Response text = Http.postJson(ingest.uri("/api/pipeline/process"),
                "{\"jobId\": \"json-text\", \"fileName\": \"note.txt\", \"text\": \"" + SampleDocuments.HEALTH + "\"}");
        String html = Base64.getEncoder().encodeToString(SampleDocuments.html("Stack", SampleDocuments.TECHNOLOGY));
        Http.Response base64 = Http.postJson(ingest.uri("/api/pipeline/process"),
                "{\"jobId\": \"json-base64\", \"fileName\": \"stack.html\", \"contentBase64\": \"" + html + "\"}");

        assertThat(text.status()).as(text.toString()).isEqualTo(202);
        assertThat(text.body().get("jobId").asString()).isEqualTo("json-text");
        assertThat(base64.status()).as(base64.toString()).isEqualTo(202);
        assertThat(base64.body().get("mediaType").asString()).startsWith("text/html");
        awaitStatus("json-text", "completed");
        awaitStatus("json-base64", "completed");
        assertThat(jdbc.queryForObject("SELECT label FROM documents WHERE document_id = 'json-text'", String.class)).isEqualTo("health");
    }

    @Test
    void aFaultInNerRetriesThenFailsTheJobAndItsStatusNamesTheStep() {
        Http.Response answer = Http.postJson(ingest.uri("/api/pipeline/process"),
                "{\"jobId\": \"faulty\", \"fileName\": \"faulty.txt\", \"text\": \"Warren Buffett lives in Omaha. " + FaultyNer.MARKER + "\"}");
        assertThat(answer.status()).isEqualTo(202);

        JsonNode job = awaitStatus("faulty", "failed");

        assertThat(job.get("state").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(job.get("attempt").asInt()).isEqualTo(3);
        assertThat(job.get("steps").get("extraction").get("status").asString()).isEqualTo("complete");
        assertThat(job.get("steps").get("classification").get("status").asString()).isEqualTo("complete");
        assertThat(job.get("steps").get("ner").get("status").asString()).isEqualTo("failed");
        assertThat(job.get("steps").get("ingestion").get("status").asString()).isEqualTo("pending");
        assertThat(job.get("message").asString()).startsWith("Failed at ner: ").contains("injected NER fault");
    }

    @Test
    void resubmittingAJobIdReturnsTheExistingJobWithoutAddingItAgain() {
        String body = "{\"jobId\": \"same-id\", \"fileName\": \"same.txt\", \"text\": \"" + SampleDocuments.LEGAL + "\"}";
        assertThat(Http.postJson(ingest.uri("/api/pipeline/process"), body).status()).isEqualTo(202);
        Await.until(WAIT, "same-id known", () -> Http.get(statusUri("same-id")).status() == 200);

        Http.Response again = Http.postJson(ingest.uri("/api/pipeline/process"), body);
        awaitStatus("same-id", "completed");
        Http.Response afterCompletion = Http.postJson(ingest.uri("/api/pipeline/process"), body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("duplicate").asBoolean()).isTrue();
        assertThat(afterCompletion.body().get("duplicate").asBoolean()).isTrue();
        assertThat(extractionQueue.records().stream().filter(r -> r.key().equals("same-id"))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE document_id = 'same-id'", Long.class)).isEqualTo(1);
    }

    @Test
    void theListPagesThroughDocumentJobsInEveryState() {
        for (int i = 0; i < 3; i++) {
            Http.postJson(ingest.uri("/api/pipeline/process"),
                    "{\"jobId\": \"listed-" + i + "\", \"fileName\": \"l" + i + ".txt\", \"text\": \"" + SampleDocuments.FINANCE + "\"}");
        }
        Await.until(WAIT, "three listed jobs", () -> Http.get(ingest.uri("/api/pipeline/process?limit=1000")).body().get("jobs")
                .valueStream().filter(job -> job.get("jobId").asString().startsWith("listed-")).count() == 3);

        Http.Response page = Http.get(ingest.uri("/api/pipeline/process?limit=2&offset=1"));
        Http.Response all = Http.get(ingest.uri("/api/pipeline/process"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().get("count").asInt()).isEqualTo(2);
        assertThat(page.body().get("limit").asInt()).isEqualTo(2);
        assertThat(page.body().get("offset").asInt()).isEqualTo(1);
        assertThat(page.body().get("total").asLong()).isEqualTo(all.body().get("total").asLong()).isGreaterThanOrEqualTo(3);
        // Only document jobs: the chunk embedding jobs they spawn are not listed.
        all.body().get("jobs").valueStream().forEach(job -> {
            assertThat(job.get("steps").propertyNames()).containsExactlyElementsOf(STEPS);
            assertThat(job.get("fileName").asString()).isNotBlank();
        });
        assertThat(Http.get(ingest.uri("/api/pipeline/process?limit=0")).body().get("error").get("field").asString()).isEqualTo("limit");
        assertThat(Http.get(ingest.uri("/api/pipeline/process?offset=-1")).status()).isEqualTo(400);
    }

    /**
     * With the intake stopped, a single add's QUEUED would never come, and the status would hold only what the
     * pipeline's steps report: no file name. A document's QUEUED travels with its job, so it is there from the start.
     */
    @Test
    void aDocumentJobHasItsFileNameFromItsFirstStatusWhateverTheIntakeDoes() {
        JobIntakeStreams intake = ingest.bean("jobIntakeStreams", JobIntakeStreams.class);
        intake.stop();
        try {
            Http.postJson(ingest.uri("/api/pipeline/process"),
                    "{\"jobId\": \"named\", \"fileName\": \"named.txt\", \"text\": \"" + SampleDocuments.FINANCE + "\"}");
            JsonNode job = awaitStatus("named", "completed");

            assertThat(job.path("fileName").asString()).isEqualTo("named.txt");
            assertThat(Http.get(ingest.uri("/api/pipeline/process?limit=1000")).body().get("jobs").valueStream()
                    .filter(listed -> listed.get("jobId").asString().equals("named"))
                    .map(listed -> listed.path("fileName").asString())).containsExactly("named.txt");
        } finally {
            intake.start();
        }
    }

    @Test
    void badUploadsAreRefusedNamingTheFieldAndNothingIsQueued() throws Exception {
        Http.Response empty = Multipart.upload(ingest.uri("/api/pipeline/process"), "empty.txt", "text/plain", new byte[0], "bad-empty");
        Http.Response tooLarge = Multipart.upload(ingest.uri("/api/pipeline/process"), "big.txt", "text/plain",
                "a".repeat(MAX_SIZE + 1).getBytes(StandardCharsets.UTF_8), "bad-large");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
        Http.Response image = Multipart.upload(ingest.uri("/api/pipeline/process"), "photo.png", "image/png", png, "bad-png");
        Http.Response noFile = Http.post(ingest.uri("/api/pipeline/process"),
                HttpRequest.BodyPublishers.ofString("hello"), "Content-Type", "text/plain");
        Http.Response noName = Http.postJson(ingest.uri("/api/pipeline/process"), "{\"jobId\": \"bad-name\", \"text\": \"hello\"}");
        Http.Response both = Http.postJson(ingest.uri("/api/pipeline/process"),
                "{\"jobId\": \"bad-both\", \"fileName\": \"a.txt\", \"text\": \"hello\", \"contentBase64\": \"aGVsbG8=\"}");
        Http.Response badBase64 = Http.postJson(ingest.uri("/api/pipeline/process"),
                "{\"jobId\": \"bad-base64\", \"fileName\": \"a.txt\", \"contentBase64\": \"%%%\"}");

        assertError(empty, 400, "file", "is empty");
        assertError(tooLarge, 413, "file", "larger than the limit of " + MAX_SIZE + " bytes");
        assertError(image, 415, "file", "image/png");
        assertError(noFile, 415, "Content-Type", "multipart/form-data");
        assertError(noName, 400, "fileName", "is required");
        assertError(both, 400, "contentBase64", "exactly one of contentBase64 and text");
        assertError(badBase64, 400, "contentBase64", "not valid base64");
        Http.postJson(ingest.uri("/api/pipeline/process"), "{\"jobId\": \"good-after-bad\", \"fileName\": \"ok.txt\", \"text\": \"fine\"}");
        Await.until(WAIT, "a later good upload queued", () -> extractionQueue.records().stream().anyMatch(r -> r.key().equals("good-after-bad")));
        assertThat(extractionQueue.records()).noneMatch(r -> r.key().startsWith("bad-"));
    }

    /** The extraction queue is paused, so the job is surely still waiting when it is cancelled. */
    @Test
    void deleteCancelsAWaitingDocumentJobWhichThenNeverRuns() {
        String extraction = TopicCatalog.DOCUMENT_EXTRACTION.queue();
        assertThat(Http.post(ingest.uri("/api/queues/" + extraction + "/pause"), HttpRequest.BodyPublishers.noBody()).status())
                .isEqualTo(200);
        Await.until(WAIT, "the pipeline seeing the pause", () -> control().isPaused(extraction));
        Http.Response cancelled;
        try {
            Http.postJson(ingest.uri("/api/pipeline/process"),
                    "{\"jobId\": \"to-cancel\", \"fileName\": \"c.txt\", \"text\": \"" + SampleDocuments.LEGAL + "\"}");
            Await.until(WAIT, "to-cancel known", () -> Http.get(statusUri("to-cancel")).status() == 200);
            cancelled = Http.send(HttpRequest.newBuilder(statusUri("to-cancel")).DELETE().build());
        } finally {
            Http.post(ingest.uri("/api/queues/" + extraction + "/resume"), HttpRequest.BodyPublishers.noBody());
        }

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.body().get("jobId").asString()).isEqualTo("to-cancel");
        JsonNode job = awaitStatus("to-cancel", "cancelled");
        assertThat(job.get("steps").get("extraction").get("status").asString()).isEqualTo("cancelled");
        assertThat(Http.send(HttpRequest.newBuilder(statusUri("to-cancel")).DELETE().build()).status()).isEqualTo(409);
        assertThat(Http.send(HttpRequest.newBuilder(statusUri("no-such-document")).DELETE().build()).status()).isEqualTo(404);
        Http.postJson(ingest.uri("/api/pipeline/process"),
                "{\"jobId\": \"after-cancel\", \"fileName\": \"a.txt\", \"text\": \"" + SampleDocuments.LEGAL + "\"}");
        awaitStatus("after-cancel", "completed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM documents WHERE document_id = 'to-cancel'", Long.class)).isZero();
    }

    @Test
    void anUnknownJobIdIsA404() {
        Http.Response answer = Http.get(statusUri("no-such-document"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("success").asBoolean()).isFalse();
    }

    @Test
    void aProcessedPdfsResultsAreReadableAndListedByLabelAndEntity() throws Exception {
        byte[] pdf = SampleDocuments.pdf(List.of("Results", SampleDocuments.FINANCE, SampleDocuments.BUFFETT,
                "Later that year Warren Buffett spoke to the shareholders."));
        Http.Response submitted = Multipart.upload(ingest.uri("/api/pipeline/process"), "results.pdf", "application/pdf", pdf,
                "results-pdf");
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        awaitStatus("results-pdf", "completed");

        Http.Response answer = Http.get(ingest.uri("/api/documents/results-pdf"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode document = answer.body().get("document");
        assertThat(document.get("documentId").asString()).isEqualTo("results-pdf");
        JsonNode file = document.get("file");
        assertThat(file.get("fileName").asString()).isEqualTo("results.pdf");
        assertThat(file.get("mediaType").asString()).isEqualTo("application/pdf");
        String text = jdbc.queryForObject("SELECT text FROM document_texts WHERE document_id = 'results-pdf'", String.class);
        assertThat(file.get("characters").asInt()).isEqualTo(text.length());
        assertThat(file.get("metadata").isObject()).isTrue();
        assertThat(file.get("metadata").size()).isPositive();

        JsonNode classification = document.get("classification");
        assertThat(classification.get("label").asString()).isEqualTo("finance");
        assertThat(classification.get("provider").asString()).startsWith("zero-shot:");
        assertThat(classification.get("scores").propertyNames()).containsExactlyInAnyOrder("finance", "legal", "technology", "health");
        assertThat(classification.get("scores").propertyNames().iterator().next()).isEqualTo("finance");
        assertThat(classification.get("score").asDouble()).isEqualTo(classification.get("scores").get("finance").asDouble());

        assertThat(document.get("nerProvider").asString()).startsWith("corenlp-crf:");
        assertThat(document.get("chunkCount").asInt()).isPositive().isEqualTo(
                jdbc.queryForObject("SELECT chunk_count FROM documents WHERE document_id = 'results-pdf'", Integer.class));
        JsonNode buffett = null;
        for (JsonNode entity : document.get("entities")) {
            for (JsonNode mention : entity.get("mentions")) {
                // Every offset points at the entity's text in the extracted text.
                assertThat(text.substring(mention.get("start").asInt(), mention.get("end").asInt()))
                        .isEqualTo(entity.get("text").asString());
            }
            if (entity.get("text").asString().equals("Warren Buffett")) {
                buffett = entity;
            }
        }
        assertThat(buffett).as(document.get("entities").toString()).isNotNull();
        assertThat(buffett.get("type").asString()).isEqualTo("PERSON");
        assertThat(buffett.get("count").asInt()).isEqualTo(2);
        assertThat(buffett.get("mentions")).hasSize(2);
        assertThat(document.get("entities").get(0).get("count").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(document.get("mentionCount").asInt()).isGreaterThanOrEqualTo(3);

        assertThat(listed("/api/documents?label=finance")).contains("results-pdf");
        assertThat(listed("/api/documents?label=legal")).doesNotContain("results-pdf");
        assertThat(listed("/api/documents?entity=warren%20buffett")).contains("results-pdf");
        assertThat(listed("/api/documents?entity=Warren%20Buffett&entityType=person&label=finance")).containsExactly("results-pdf");
        assertThat(listed("/api/documents?entity=Warren%20Buffett&entityType=LOCATION")).isEmpty();
        JsonNode row = Http.get(ingest.uri("/api/documents?entity=Warren%20Buffett")).body().get("documents").get(0);
        assertThat(row.get("label").asString()).isEqualTo("finance");
        assertThat(row.get("provider").asString()).startsWith("zero-shot:");

        Http.Response missing = Http.get(ingest.uri("/api/documents/no-such-document"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error").get("reason").asString()).contains("/api/pipeline/process?jobId=no-such-document");
        assertError(Http.get(ingest.uri("/api/documents?entity=x&entityType=ANIMAL")), 400, "entityType", "must be one of");
        assertError(Http.get(ingest.uri("/api/documents?entityType=PERSON")), 400, "entityType", "needs entity");
        assertError(Http.get(ingest.uri("/api/documents?limit=many")), 400, "limit", "whole number");
        assertError(Http.get(ingest.uri("/api/documents?label=%20")), 400, "label", "blank");
    }

    /**
     * Issue 15: one document job's trace, from the submitting request's {@code traceparent} through
     * the records of all four steps (as read_committed consumers see them), the job's events, its
     * outputs (the ingested document and its chunks' embedding jobs) to its status' {@code traceId}.
     */
    @Test
    void theRequestsTraceFollowsADocumentJobThroughAllFourStepsToItsOutputsAndStatus() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String traceparent = "00-" + traceId + "-b7ad6b7169203331-01";
        List<TopicTail> steps = List.of(TopicCatalog.DOCUMENT_EXTRACTION, TopicCatalog.DOCUMENT_CLASSIFICATION,
                TopicCatalog.DOCUMENT_NER, TopicCatalog.DOCUMENT_INGESTION).stream()
                .map(queue -> new TopicTail(kafka.bootstrapServers(), queue.requests())).toList();
        try (TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
             TopicTail ingested = new TopicTail(kafka.bootstrapServers(), TopicCatalog.DOCUMENTS_INGESTED);
             TopicTail chunks = new TopicTail(kafka.bootstrapServers(), TopicCatalog.EMBEDDING.requests())) {
            Http.Response answer = Http.post(ingest.uri("/api/pipeline/process"), HttpRequest.BodyPublishers.ofString(
                            "{\"jobId\": \"traced-doc\", \"fileName\": \"traced.txt\", \"text\": \"" + SampleDocuments.BUFFETT + "\"}"),
                    "Content-Type", "application/json", "traceparent", traceparent);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
            awaitStatus("traced-doc", "completed");

            for (TopicTail step : steps) {
                Await.until(WAIT, "traced-doc on " + step, () -> !recordsOf(step, "traced-doc").isEmpty());
                recordsOf(step, "traced-doc").forEach(record -> assertTrace(record, traceId));
            }
            Await.until(WAIT, "traced-doc's output", () -> !recordsOf(ingested, "traced-doc").isEmpty());
            recordsOf(ingested, "traced-doc").forEach(record -> assertTrace(record, traceId));
            Await.until(WAIT, "traced-doc's chunk jobs", () -> !chunksOf(chunks, "traced-doc").isEmpty());
            chunksOf(chunks, "traced-doc").forEach(record -> assertTrace(record, traceId));

            Await.until(WAIT, "traced-doc's completion event", () -> jobEvents(events, "traced-doc").stream()
                    .anyMatch(event -> event.getState() == JobState.COMPLETED));
            List<JobEvent> jobEvents = jobEvents(events, "traced-doc");
            assertThat(jobEvents.stream().filter(e -> JobEvents.startOf(e) != null).map(JobEvent::getQueue))
                    .containsExactlyElementsOf(DocumentJobs.STEPS.stream().map(DocumentJobs.Step::eventStep).toList());
            assertThat(jobEvents).allSatisfy(event -> assertThat(event.getTraceId()).as(event.toString()).isEqualTo(traceId));
            assertThat(Http.get(ingest.uri("/api/jobs/traced-doc")).body().get("job").get("traceId").asString()).isEqualTo(traceId);
        } finally {
            for (TopicTail step : steps) {
                step.close();
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> recordsOf(TopicTail tail, String jobId) {
        return tail.records().stream().filter(r -> jobId.equals(r.key())).toList();
    }

    /** The embedding jobs the document's ingestion added for its chunks (their parent is the document job). */
    private static List<ConsumerRecord<String, byte[]>> chunksOf(TopicTail embeddingJobs, String jobId) {
        return embeddingJobs.records().stream()
                .filter(r -> JobHeaders.text(r.headers(), JobHeaders.PARENT_JOB_ID).filter(jobId::equals).isPresent()).toList();
    }

    private static List<JobEvent> jobEvents(TopicTail events, String jobId) {
        return recordsOf(events, jobId).stream().map(r -> EVENTS.deserialize(r.topic(), r.value())).toList();
    }

    private static void assertTrace(ConsumerRecord<String, byte[]> record, String traceId) {
        String where = record.topic() + " " + record.key();
        assertThat(JobHeaders.text(record.headers(), JobHeaders.TRACE_ID)).as(where).contains(traceId);
        assertThat(JobHeaders.text(record.headers(), TraceParent.HEADER)).as(where)
                .hasValueSatisfying(header -> assertThat(header).matches("00-" + traceId + "-[0-9a-f]{16}-01"));
    }

    private static List<String> listed(String pathAndQuery) {
        Http.Response answer = Http.get(ingest.uri(pathAndQuery));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.body().get("documents").forEach(d -> ids.add(d.get("documentId").asString()));
        assertThat(answer.body().get("count").asInt()).isEqualTo(ids.size());
        return ids;
    }

    private static JsonNode awaitStatus(String jobId, String status) {
        Await.until(WAIT, jobId + " " + status, () -> {
            Http.Response answer = Http.get(statusUri(jobId));
            return answer.status() == 200 && answer.body().get("job").get("status").asString().equals(status);
        });
        return Http.get(statusUri(jobId)).body().get("job");
    }

    private static URI statusUri(String jobId) {
        return ingest.uri("/api/pipeline/process?jobId=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8));
    }

    /** The pipeline's own view of the control commands, through its global store. */
    private static QueueControl control() {
        return new QueueControl(pipeline.bean(ManagedStreams.class).streams().store(
                StoreQueryParameters.fromNameAndType(QueueControl.STORE, QueryableStoreTypes.<String, ControlCommand>keyValueStore())));
    }

    private static void assertError(Http.Response answer, int status, String field, String reason) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.body().get("success").asBoolean()).isFalse();
        assertThat(answer.body().get("error").get("field").asString()).as(answer.toString()).isEqualTo(field);
        assertThat(answer.body().get("error").get("reason").asString()).as(answer.toString()).contains(reason);
    }
}
