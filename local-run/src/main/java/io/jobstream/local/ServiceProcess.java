package io.jobstream.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One service's JVM, run from its Spring Boot jar and configured only on the command line. */
final class ServiceProcess implements AutoCloseable {

    // SIGTERM closes Kafka Streams gracefully; --jobstream.kafka.close-timeout bounds that.
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);
    // Configuration the user's shell may hold for a service; the launcher's arguments must be all there is.
    private static final List<String> INHERITED_SETTINGS = List.of("DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS",
            "JOBSTREAM_DATA_DIR");

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> --server.port=<port> <properties>} with the
     * launcher's own {@code java}; output goes to {@code log}.
     */
    static ServiceProcess start(String name, Path jar, int port, List<String> jvmOptions, List<String> properties, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(properties);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        INHERITED_SETTINGS.forEach(environment::remove);
        environment.keySet().removeIf(key -> key.startsWith("JOBSTREAM_") || key.startsWith("SPRING_"));
        return new ServiceProcess(name, port, log, Commands.start(builder, log));
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    /** Waits until {@code /actuator/health} answers UP; fails at once if the JVM exits. */
    void awaitHealthy(Http http, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastAnswer = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                throw new LaunchException(name + " exited with code " + process.exitValue() + " while starting\n"
                        + Commands.tail(log));
            }
            try {
                Http.Response health = http.get(uri("/actuator/health"));
                if (health.ok() && "UP".equals(health.body().path("status").asString())) {
                    return;
                }
                lastAnswer = "HTTP " + health.status() + " " + health.body();
            } catch (IOException e) {
                lastAnswer = e.toString();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new LaunchException(name + " was not healthy within " + timeout.toSeconds() + " s (last answer: "
                        + lastAnswer + ")\n" + Commands.tail(log));
            }
            Pause.sleep(HEALTH_POLL);
        }
    }

    /** Completes when the JVM ends, for whatever reason. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    @Override
    public void close() throws InterruptedException {
        Commands.stop(process.toHandle(), STOP_GRACE);
    }
}
