package io.jobstream.ingest.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.retry.TransientJobException;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.ingest.support.Http;
import io.jobstream.ingest.support.IngestInstance;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.thumbnails.ThumbnailWorker;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (Debian's headless chromium driven by Selenium) against a running
 * ingest-service and a worker: what an operator sees and clicks. Screenshots go to target/dashboard-*.png.
 */
class DashboardBrowserIT {

    private static final String[] QUEUE = {
            "--jobstream.queues.thumbnails.partitions=1",
            "--jobstream.queues.thumbnails.concurrency=1",
            "--jobstream.queues.thumbnails.retry.attempts=1"};
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    static Path ingestDir;
    @TempDir
    static Path workerDir;
    @TempDir
    static Path browserDir;

    static IngestInstance ingest;
    static ConfigurableApplicationContext worker;
    static WebDriver browser;

    @BeforeAll
    static void start() {
        ThumbnailWorker.HEALED.set(false);
        ingest = IngestInstance.start(kafka.bootstrapServers(), "dashboard-ingest", ingestDir, 0, QUEUE);
        String[] workerArgs = new String[QUEUE.length + 6];
        System.arraycopy(QUEUE, 0, workerArgs, 0, QUEUE.length);
        System.arraycopy(new String[] {
                "--jobstream.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--jobstream.kafka.application-id=dashboard-worker",
                "--jobstream.kafka.application-server=localhost:1",
                "--jobstream.kafka.data-dir=" + workerDir,
                "--jobstream.kafka.standby-replicas=0",
                "--jobstream.kafka.commit-interval=100ms"}, 0, workerArgs, QUEUE.length, 6);
        worker = new SpringApplicationBuilder(ThumbnailWorker.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=thumbnail-worker")
                .run(workerArgs);
        ManagedStreams workerStreams = worker.getBean(ManagedStreams.class);
        Await.until(WAIT, "ingest and worker running",
                () -> ingest.isRunning() && workerStreams.streams().state() == KafkaStreams.State.RUNNING);

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1400,1000",
                "--user-data-dir=" + browserDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        worker.close();
        ingest.close();
        ThumbnailWorker.HEALED.set(false);
    }

    @Test
    void anOperatorSeesTheCountsRetriesAFailedJobPausesAQueueFollowsAJobLiveAndReadsEveryFailedAttempt() {
        for (String image : new String[] {"a.png", "b.png", "c.png"}) {
            add("{\"name\": \"resize\", \"data\": {\"image\": \"" + image + "\"}}");
        }
        add("""
                {"name": "resize", "data": {"image": "broken.png", "failUntilHealed": true}, "opts": {"jobId": "thumb-broken"}}""");
        Await.until(WAIT, "three completed and one failed",
                () -> queue().path("completed").asInt() == 3 && queue().path("failed").asInt() == 1);

        // The overview shows what the API says.
        open("/dashboard#/");
        waitFor("the overview's counts", () -> count("completed").equals("3") && count("failed").equals("1"));
        assertThat(count("waiting")).isEqualTo(queue().path("waiting").asString());
        assertThat(count("workers")).isEqualTo("1");
        screenshot("queues");

        // Retry the failed job by clicking its Retry button on the queue's failed tab.
        open("/dashboard#/queues/thumbnails?state=failed");
        WebElement failedRow = waitForElement(By.cssSelector("tr[data-job='thumb-broken']"));
        ThumbnailWorker.HEALED.set(true);
        failedRow.findElement(By.cssSelector("button[data-action='Retry']")).click();
        Await.until(WAIT, "the retried job completed", () -> jobStatus("thumb-broken").equals("completed"));
        assertThat(ThumbnailWorker.HANDLED).contains("broken.png");

        // Pause the queue by clicking, and see it paused in the API and on the page.
        open("/dashboard#/");
        waitForElement(By.cssSelector("tr[data-queue='thumbnails'] button[data-action='Pause']")).click();
        Await.until(WAIT, "the queue paused", () -> queue().path("isPaused").asBoolean());
        waitForElement(By.cssSelector("tr[data-queue='thumbnails'] .badge.paused"));
        waitForElement(By.cssSelector("tr[data-queue='thumbnails'] button[data-action='Resume']")).click();
        Await.until(WAIT, "the queue resumed", () -> !queue().path("isPaused").asBoolean());

        // A delayed job's page turns to completed by itself (server-sent events, no reload).
        add("""
                {"name": "resize", "data": {"image": "later.png"}, "opts": {"jobId": "thumb-later", "delay": 10000}}""");
        open("/dashboard#/jobs/thumb-later");
        waitForElement(By.cssSelector("h1 .badge[data-status='delayed']"));
        Object pageId = ((JavascriptExecutor) browser).executeScript("return window.pageMarker = 42;");
        waitForElement(By.cssSelector("h1 .badge[data-status='completed']"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pageMarker;"))
                .as("the same page, not a reload").isEqualTo(pageId);
        assertThat(browser.findElements(By.cssSelector("#events tr[data-status='completed']"))).hasSize(1);
        // The log line is folded by the status store a moment after the event: reload until it shows.
        waitFor("the job's log line", () -> {
            browser.navigate().refresh();
            return waitForElement(By.cssSelector("h1 .badge")) != null
                    && browser.findElements(By.id("logs")).stream().anyMatch(logs -> logs.getText().contains("resizing later.png"));
        });
        screenshot("job");

        // Search by id prefix lists the matching jobs.
        open("/dashboard#/search/thumb-");
        waitFor("both thumb- jobs listed", () -> browser.findElements(By.cssSelector("tr[data-job^='thumb-']")).size() == 2);

        // A job that failed for good: its page lists every failed attempt, what followed it and its stack.
        add("""
                {"name": "resize", "data": {"image": "hopeless.png", "failTimes": 9},
                 "opts": {"jobId": "render-hopeless", "attempts": 3, "backoff": {"type": "fixed", "delay": 100}}}""");
        Await.until(WAIT, "the hopeless job failed", () -> jobStatus("render-hopeless").equals("failed"));
        open("/dashboard#/jobs/render-hopeless");
        waitFor("three failed attempts", () -> browser.findElements(By.cssSelector("#attempts li")).size() == 3);
        List<WebElement> attempts = browser.findElements(By.cssSelector("#attempts li"));
        assertThat(attempts).extracting(attempt -> attempt.getDomAttribute("data-outcome"))
                .containsExactly("retried", "retried", "dead-lettered");
        for (int n = 1; n <= 3; n++) {
            WebElement attempt = attempts.get(n - 1);
            assertThat(attempt.getDomAttribute("data-attempt")).isEqualTo(String.valueOf(n));
            assertThat(attempt.findElement(By.cssSelector("pre.stack")).getText())
                    .startsWith(TransientJobException.class.getName() + ": renderer busy (attempt " + n + ")")
                    .contains("at " + ThumbnailWorker.class.getName() + ".lambda$");
        }
        assertThat(browser.findElement(By.id("error")).getText()).contains("renderer busy (attempt 3)")
                .contains("at " + ThumbnailWorker.class.getName());
        screenshot("failed-job");
    }

    private static void add(String json) {
        Http.Response response = Http.postJson(ingest.uri("/api/queues/thumbnails/jobs"), json);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
    }

    private static JsonNode queue() {
        return Http.get(ingest.uri("/api/queues/thumbnails")).body().path("queue");
    }

    private static String jobStatus(String id) {
        Http.Response response = Http.get(ingest.uri("/api/jobs/" + id));
        return response.status() == 200 ? response.body().path("job").path("status").asString() : "http " + response.status();
    }

    private static void open(String path) {
        browser.get(ingest.uri(path).toString());
    }

    private static String count(String name) {
        return browser.findElements(By.cssSelector("tr[data-queue='thumbnails'] td[data-count='" + name + "']")).stream()
                .findFirst().map(WebElement::getText).orElse("");
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).until(driver -> condition.getAsBoolean());
    }

    private static WebElement waitForElement(By locator) {
        return new WebDriverWait(browser, WAIT).withMessage("waiting for " + locator)
                .until(driver -> driver.findElements(locator).stream().findFirst().orElse(null));
    }

    private static void screenshot(String name) {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Path target = Path.of("target", "dashboard-" + name + ".png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        }
    }
}
