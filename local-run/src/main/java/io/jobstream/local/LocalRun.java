package io.jobstream.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one-command local run: real Kafka, PostgreSQL with pgvector and Redis processes, every service
 * as a child JVM (restarted by the {@link Supervisor} if it exits), a demo of each seed with live
 * progress bars, a sample semantic search and a summary. Everything stays up until Ctrl-C; then every
 * process the run started is stopped by its PID and the run's temporary directory is deleted.
 *
 * <p>Run it with {@code scripts/run-local.sh}, or {@code java -jar local-run/target/local-run-*.jar}
 * after the build.
 */
public final class LocalRun {

    private LocalRun() {
    }

    public static void main(String[] args) {
        Console console = Console.system();
        Teardown teardown = new Teardown(console);
        Runtime.getRuntime().addShutdownHook(new Thread(teardown::stopAll, "local-run-shutdown"));
        try {
            run(console, teardown);
        } catch (RuntimeException e) {
            // After Ctrl-C, processes vanishing under the start-up is expected, not worth a message.
            if (!teardown.stopping()) {
                console.error(e instanceof LaunchException ? e.getMessage() : e.toString());
            }
            System.exit(1);
        }
    }

    private static void run(Console console, Teardown teardown) {
        long start = System.nanoTime();
        Path repository = repository();
        JsonMapper json = JsonMapper.builder().build();
        Http http = new Http(json);
        List<DemoPost> posts = DemoPost.loadDemo(json);

        Workspace workspace = Workspace.create();
        teardown.add("temporary files", workspace);
        console.heading("jobstream local run");
        console.info("  files in " + workspace.root() + " (deleted on exit)");

        console.heading("Infrastructure");
        Infrastructure infrastructure = Infrastructure.start(workspace, teardown, console);
        ReminderReceiver receiver = ReminderReceiver.start(json, console);
        teardown.add("reminder receiver", receiver);
        console.heading("Services");
        Services services = Services.start(repository, infrastructure, workspace, teardown, console, http, List.of(
                Services.Service.of(Services.INGEST),
                Services.Service.of(Services.PROCESSOR),
                Services.Service.of("agent-processor"),
                Services.Service.of("document-pipeline"),
                Services.Service.of("curl-processor"),
                Services.Service.of("catalog-processor"),
                Services.Service.of("dispatch-processor", "--jobstream.reminders.channels.webhook.url=" + receiver.url())));
        console.info(String.format(Locale.ROOT, "  everything up in %.1f s", (System.nanoTime() - start) / 1e9));
        Supervisor supervisor = new Supervisor(teardown, console, http, infrastructure.kafka().bootstrapServers());
        supervisor.watch(services);

        ServiceProcess ingest = services.ingest();
        Demos demos = new Demos(http, ingest);
        JobWatch watch = new JobWatch(http, ingest, console);
        // Everything is submitted first, so that the services work side by side while the bars follow one seed at a time.
        console.heading("Demo workload: " + posts.size() + " posts from " + DemoPost.RESOURCE + " (seed 000) and one of each seed");
        Workload.Submitted submitted = Workload.submit(posts, http, ingest.uri(Workload.WEBHOOK), console);
        List<String> chats = demos.chatAndBatch();
        List<String> documents = demos.documents();
        List<String> screenshot = demos.screenshot();
        List<String> products = demos.products();
        Instant reminderDue = demos.reminder();
        console.info("  reminder " + Demos.REMINDER_ID + " due at " + reminderDue + " (seed 004): its line appears when it arrives");
        console.info("  scheduler demo-pending-posts: a pending-posts embedding job every "
                + demos.scheduler().path("scheduler").path("every").asLong(0) / 1000 + " s");

        console.heading("Posts: embedding (seed 000)");
        ProgressMonitor.Outcome outcome = new ProgressMonitor(http, ingest, console)
                .await(submitted.accepted(), submitted.startedNanos());
        console.heading("Semantic search (k=" + SemanticSearch.K + ")");
        SemanticSearch.SAMPLE_QUERIES.forEach(query ->
                SemanticSearch.print(SemanticSearch.search(http, ingest, query), console));
        console.heading("A chat and a batch of two (seed 001)");
        watch.await(chats);
        console.heading("Two documents: extraction, classification, entities, ingestion (seed 002)");
        watch.await(documents);
        console.heading("A screenshot of an API page to a curl command (seed 003)");
        watch.await(screenshot);
        console.heading("Products: embedding and enrichment (seed 004)");
        watch.await(products);
        console.heading("Curated collections for " + Demos.today() + " (seed 004)");
        watch.await(demos.collections());
        console.heading("Scheduler");
        console.info("  demo-pending-posts: " + demos.schedulerState().path("scheduler"));

        Summary.print(console, submitted, outcome, infrastructure, services, workspace);
        console.info("");
        console.heading("Running until Ctrl-C: a service that exits is restarted; on Ctrl-C every process above is stopped and "
                + workspace.root() + " deleted.");
        throw supervisor.gaveUp().join();
    }

    /** The checkout the launcher was built in: its jar is {@code <repository>/local-run/target/local-run-*.jar}. */
    static Path repository() {
        Path code;
        try {
            code = Path.of(LocalRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new LaunchException("cannot tell where the launcher runs from: " + e.getMessage(), e);
        }
        Path repository = code.toAbsolutePath().getParent().getParent().getParent();
        if (!Files.isRegularFile(repository.resolve("pom.xml"))) {
            throw new LaunchException("run the launcher from its build output (local-run/target), not from " + code);
        }
        return repository;
    }
}
