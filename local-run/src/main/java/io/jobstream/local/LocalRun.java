package io.jobstream.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one-command local run: real Kafka, PostgreSQL with pgvector and Redis processes, ingest-service
 * and embedding-processor as child JVMs, a demo workload through the webhook with a live progress
 * bar, a sample semantic search and a summary. Everything stays up until Ctrl-C; then every process
 * the run started is stopped by its PID and the run's temporary directory is deleted.
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
        console.heading("Services");
        Services services = Services.start(repository, infrastructure, workspace, teardown, console, http);
        console.info(String.format(Locale.ROOT, "  everything up in %.1f s", (System.nanoTime() - start) / 1e9));

        console.heading("Demo workload: " + posts.size() + " posts from " + DemoPost.RESOURCE);
        Workload.Submitted submitted = Workload.submit(posts, http, services.ingest().uri(Workload.WEBHOOK), console);
        console.heading("Embedding");
        ProgressMonitor.Outcome outcome = new ProgressMonitor(http, services.ingest(), console)
                .await(submitted.accepted(), submitted.startedNanos());

        console.heading("Semantic search (k=" + SemanticSearch.K + ")");
        SemanticSearch.SAMPLE_QUERIES.forEach(query ->
                SemanticSearch.print(SemanticSearch.search(http, services.processor(), query), console));

        Summary.print(console, submitted, outcome, infrastructure, services, workspace);
        console.info("");
        console.heading("Running until Ctrl-C: then every process above is stopped and " + workspace.root() + " deleted.");

        ServiceProcess exited = services.awaitAnyExit();
        if (!teardown.stopping()) {
            // The log goes with the workspace on exit: its tail is shown here.
            throw new LaunchException(exited.name() + " exited on its own (code " + exited.onExit().join().exitValue()
                    + ")\n" + Commands.tail(exited.log()));
        }
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
