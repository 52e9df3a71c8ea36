package io.jobstream.curl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.flow.FlowIds;
import io.jobstream.core.flow.Flows;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.api.ApiResource;
import io.jobstream.store.api.ApiResourceRepository;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.Upload;
import io.jobstream.test.ApiPageScreenshots;
import io.jobstream.test.ApiPageScreenshots.Endpoint;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;
import io.jobstream.test.ServiceProcess;
import io.jobstream.test.TopicTail;
import io.jobstream.topics.TopicCatalog;

/**
 * curl-processor in its own process, killed with SIGKILL in the middle of a batch and started
 * again: every screenshot ends with exactly one {@code api_resources} row per endpoint, each
 * resource's embedding job is queued once, and the flow completes.
 */
class CurlCrashIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(300);
    private static final String FLOW = "crash-batch";
    /** Two endpoints a page, each page drawn differently: six screenshots, twelve resources. */
    private static final List<List<Endpoint>> PAGES = List.of(
            List.of(ApiPageScreenshots.listUsers(), endpoint("Create an order", "POST", "https://shop.example.com/v2/orders")),
            List.of(endpoint("Refund a payment", "POST", "https://pay.example.com/v1/refunds"),
                    endpoint("Get the forecast", "GET", "https://weather.example.com/v1/forecast?city=Paris")),
            List.of(endpoint("Delete a webhook", "DELETE", "https://hooks.example.com/v1/webhooks/wh_3"),
                    endpoint("Update a profile", "PATCH", "https://api.example.com/v1/profiles/p-12")),
            List.of(endpoint("List the invoices", "GET", "https://billing.example.com/v1/invoices"),
                    endpoint("Void an invoice", "POST", "https://billing.example.com/v1/invoices/in_4/void")),
            List.of(endpoint("Get a repository", "GET", "https://code.example.com/v3/repos/acme/site"),
                    endpoint("Delete a branch", "DELETE", "https://code.example.com/v3/repos/acme/site/branches/old")),
            List.of(endpoint("Send a message", "POST", "https://chat.example.com/v1/messages"),
                    endpoint("List the channels", "GET", "https://chat.example.com/v1/channels")));

    private static final Deserializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).deserializer();

    @TempDir
    static Path dir;

    @Test
    void aProcessorKilledInTheMiddleOfABatchLeavesOneResourcePerEndpointEachEmbeddingJobOnceAndTheFlowCompletes() throws Exception {
        ServiceProcess processor = ServiceProcess.start(dir.resolve("processor"), CurlProcessorApplication.class.getName(),
                List.of(ServiceArguments.processor(FreePorts.next(), kafka, postgres, dir.resolve("data"))));
        try (JobPublisher publisher = new JobPublisher(kafka.bootstrapServers(), "curl-crash-test", 1);
             TopicTail events = new TopicTail(kafka.bootstrapServers(), TopicCatalog.JOB_EVENTS);
             TopicTail embeddingJobs = new TopicTail(kafka.bootstrapServers(), CurlJobs.EMBEDDINGS_GENERATION.requests())) {
            JdbcTemplate jdbc = new JdbcTemplate(postgres.dataSource());
            submit(publisher);

            // Killed as soon as a first job has written its rows: before or just after its completion is committed.
            Await.until(WAIT, "a first screenshot's resources written", () -> jobsWithRows(jdbc) > 0);
            processor.kill();
            long jobsWithRowsAtCrash = jobsWithRows(jdbc);
            int completedBeforeCrash = completed(events, FLOW + ":").size();
            processor.restart();

            try {
                Await.until(WAIT, "the flow finished after the restart", () -> !finished(events).isEmpty());
            } catch (AssertionError notCompleted) {
                throw new AssertionError(notCompleted.getMessage() + "; processor log:\n" + processor.logTail(), notCompleted);
            }
            System.out.printf("killed with the rows of %d of %d curl jobs written and %d completions committed%n",
                    jobsWithRowsAtCrash, PAGES.size(), completedBeforeCrash);
            assertThat(finished(events)).as("the flow's end; processor log:\n%s", processor.logTail()).containsExactly(JobState.COMPLETED);
            assertThat(completedBeforeCrash).as("killed in the middle of the batch").isLessThan(PAGES.size());

            ApiResourceRepository resources = new ApiResourceRepository(postgres.dataSource());
            List<String> expectedEmbeddingJobs = new ArrayList<>();
            for (int i = 0; i < PAGES.size(); i++) {
                String jobId = FlowIds.child(FLOW, i);
                List<ApiResource> rows = resources.byJob(jobId);
                assertThat(rows).as(jobId).extracting(ApiResource::endpoint)
                        .containsExactlyElementsOf(PAGES.get(i).stream().map(Endpoint::url).toList());
                rows.forEach(row -> expectedEmbeddingJobs.add(CurlJobs.embeddingJobId(row.resourceId())));
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM api_resources WHERE job_id LIKE ?", Long.class, FLOW + ":%"))
                    .isEqualTo(12);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM embeddings WHERE entity_type = 'api-resource'", Long.class))
                    .isEqualTo(12);
            // A job's copies share its key, hence its partition: once every id has been read, so has any earlier copy.
            Await.until(WAIT, "every embedding job read from its queue", () -> embeddingJobs.records().stream()
                    .map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(expectedEmbeddingJobs));
            // A job the queue's rate limit deferred comes back to its topic from the retry timer, with its due-at:
            // that is the same submission, not a second one.
            assertThat(embeddingJobs.records().stream().filter(record -> record.headers().lastHeader(JobHeaders.DUE_AT) == null)
                    .map(ConsumerRecord::key).toList())
                    .as("each embedding job queued once, through the crash; processor log:\n%s", processor.logTail())
                    .containsExactlyInAnyOrderElementsOf(expectedEmbeddingJobs);
        } finally {
            processor.close();
        }
    }

    private static long jobsWithRows(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT count(DISTINCT job_id) FROM api_resources WHERE job_id LIKE ?", Long.class, FLOW + ":%");
    }

    private static Endpoint endpoint(String description, String method, String url) {
        return new Endpoint(description, method, url, List.of("Accept: application/json"), List.of());
    }

    private static void submit(JobPublisher publisher) {
        DocumentUploads uploads = new DocumentUploads(postgres.dataSource());
        List<JobSubmission<JobRequested>> children = new ArrayList<>();
        for (int i = 0; i < PAGES.size(); i++) {
            String jobId = FlowIds.child(FLOW, i);
            String ref = uploads.store(new Upload("page-" + i + ".png", "image/png", ApiPageScreenshots.page("API page " + i, PAGES.get(i))));
            String data = "{\"contentRef\": \"" + ref + "\", \"pageUrl\": \"https://docs.example.com/page-" + i + "\", \"pageTitle\": null}";
            children.add(JobSubmission.of(jobId, CurlJobs.JOB_TYPE,
                    new JobRequested(CurlJobs.JOB_TYPE, data, JobOptions.newBuilder().setJobId(jobId).build())).withData(data));
        }
        Flows.submit(publisher, CurlJobs.CURL_GENERATION, FLOW, CurlJobs.BATCH_JOB_TYPE, "{\"screenshots\": " + PAGES.size() + "}", children);
    }

    /** The flow parent's terminal events so far. */
    private static List<JobState> finished(TopicTail events) {
        return events.values(bytes -> EVENTS.deserialize(TopicCatalog.JOB_EVENTS, bytes)).stream()
                .filter(event -> event.getJobId().equals(FLOW) && (event.getState() == JobState.COMPLETED
                        || event.getState() == JobState.FAILED || event.getState() == JobState.CANCELLED))
                .map(JobEvent::getState)
                .toList();
    }

    /** The curl-generation jobs whose id starts with {@code prefix} that have a COMPLETED event. */
    private static Set<String> completed(TopicTail events, String prefix) {
        return events.values(bytes -> EVENTS.deserialize(TopicCatalog.JOB_EVENTS, bytes)).stream()
                .filter(event -> event.getState() == JobState.COMPLETED && CurlJobs.CURL_GENERATION.queue().equals(event.getQueue())
                        && event.getJobId().startsWith(prefix))
                .map(JobEvent::getJobId)
                .collect(Collectors.toSet());
    }
}
