package io.jobstream.curl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.jobstream.core.deadletter.DeadLetterHeaders;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.api.ApiResource;
import io.jobstream.store.api.ApiResourceRepository;
import io.jobstream.store.document.DocumentUploads;
import io.jobstream.store.document.Upload;
import io.jobstream.test.ApiPageScreenshots;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.TopicTail;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import tools.jackson.databind.JsonNode;

/**
 * curl-processor with the OpenAI vision option against a fake OpenAI-compatible server: the stored
 * screenshot goes to the model as an image part, its answer becomes resources and embeddings, and
 * an answer that breaks the schema dead-letters the job at its first attempt.
 */
class OpenAiVisionCurlIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;

    static FakeOpenAiServer openAi;
    static CurlProcessorInstance processor;
    static JobPublisher publisher;
    static TopicTail deadLetters;

    @BeforeAll
    static void start() {
        openAi = new FakeOpenAiServer(8, true);
        processor = CurlProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.curl.provider=openai",
                "--jobstream.chat.openai.api-key=test-key",
                "--jobstream.chat.openai.base-url=" + openAi.baseUrl());
        publisher = new JobPublisher(kafka.bootstrapServers(), "openai-vision-test", 1);
        deadLetters = new TopicTail(kafka.bootstrapServers(), CurlJobs.CURL_GENERATION.deadLetters());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        deadLetters.close();
        publisher.close();
        processor.close();
        openAi.close();
    }

    @Test
    void theModelSeesTheStoredScreenshotAndItsAnswerIsStoredAsResourcesWithEmbeddings() {
        byte[] png = ApiPageScreenshots.page("Users API reference", List.of(ApiPageScreenshots.listUsers()));
        openAi.replyWhenAsked("https://docs.example.com/users", Reply.answer("""
                {"description": "Users API reference",
                 "endpoints": [{"method": "GET", "url": "https://api.example.com/v1/users?limit=10",
                                "headers": [{"name": "Authorization", "value": "Bearer sk_test_123"}],
                                "body": null, "description": "Lists the users of the workspace."}]}"""));

        submit("vision-1", png, "https://docs.example.com/users");

        ApiResourceRepository resources = new ApiResourceRepository(postgres.dataSource());
        Await.until(WAIT, "vision-1's resource stored", () -> !resources.byJob("vision-1").isEmpty());
        ApiResource resource = resources.byJob("vision-1").getFirst();
        assertThat(resource.provider()).isEqualTo("openai:gpt-4o-mini");
        assertThat(resource.confidence()).isNull();
        assertThat(resource.curl()).isEqualTo("curl -X GET 'https://api.example.com/v1/users?limit=10' \\\n  -H 'Authorization: Bearer sk_test_123'");
        assertThat(resource.description()).isEqualTo("Lists the users of the workspace.");
        JsonNode request = openAi.chatRequests().stream()
                .filter(r -> r.toString().contains("https://docs.example.com/users")).findFirst().orElseThrow();
        assertThat(request.path("messages").get(1).path("content").get(1).path("image_url").path("url").asString())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        JdbcTemplate jdbc = new JdbcTemplate(postgres.dataSource());
        Await.until(WAIT, "vision-1's resource embedded", () -> jdbc.queryForObject(
                "SELECT count(*) FROM embeddings WHERE entity_type = 'api-resource' AND entity_id = 'vision-1:1'", Long.class) == 1);
    }

    @Test
    void anAnswerThatBreaksTheSchemaDeadLettersTheJobAtOnce() {
        byte[] png = ApiPageScreenshots.page("Orders", List.of(ApiPageScreenshots.listUsers()));
        openAi.replyWhenAsked("https://docs.example.com/broken", Reply.answer("""
                {"description": "x", "endpoints": [{"method": "FETCH", "url": "https://a.example.com", "headers": [],
                 "body": null, "description": "y"}]}"""));

        submit("vision-bad", png, "https://docs.example.com/broken");

        Await.until(WAIT, "vision-bad dead-lettered", () -> deadLetters.records().stream().anyMatch(r -> r.key().equals("vision-bad")));
        ConsumerRecord<String, byte[]> dead = deadLetters.records().stream().filter(r -> r.key().equals("vision-bad")).findFirst().orElseThrow();
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.EXCEPTION_MESSAGE).value(), StandardCharsets.UTF_8))
                .contains("invalid answer").contains("endpoints[0].method");
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.ATTEMPTS).value(), StandardCharsets.UTF_8)).isEqualTo("1");
        assertThat(openAi.chatRequests().stream().filter(r -> r.toString().contains("https://docs.example.com/broken")).count())
                .as("a permanent failure is not retried").isEqualTo(1);
    }

    private static void submit(String jobId, byte[] png, String pageUrl) {
        String ref = new DocumentUploads(postgres.dataSource()).store(new Upload("page.png", "image/png", png));
        String data = "{\"contentRef\": \"" + ref + "\", \"pageUrl\": \"" + pageUrl + "\", \"pageTitle\": null}";
        publisher.submit(CurlJobs.CURL_GENERATION, JobSubmission.of(jobId, CurlJobs.JOB_TYPE,
                new JobRequested(CurlJobs.JOB_TYPE, data, JobOptions.newBuilder().setJobId(jobId).build())).withData(data));
    }
}
