package io.jobstream.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One service's JVM, run from its unpacked Spring Boot jar and configured only on the command line. It can be
 * started again with the same command, port and log ({@link #restart()}), as the {@link Supervisor}
 * does after a crash: its URL stays the same for the user.
 */
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
    private final Path dataDir;
    private final List<String> command;
    private Process process;
    private boolean closed;

    private ServiceProcess(String name, int port, Path log, Path dataDir, List<String> command) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.dataDir = dataDir;
        this.command = command;
    }

    /**
     * Starts {@code <java command> <properties>} ({@link BootJar#command}: the launcher's own {@code java} on the
     * unpacked jar), the properties naming {@code port} and {@code dataDir}; output goes to {@code log}.
     */
    static ServiceProcess start(String name, List<String> java, int port, Path dataDir, List<String> properties, Path log) {
        List<String> command = new ArrayList<>(java);
        command.addAll(properties);
        ServiceProcess service = new ServiceProcess(name, port, log, dataDir, List.copyOf(command));
        service.launch();
        return service;
    }

    /**
     * Starts the same command again, its output appended to the same log. Does nothing once
     * {@link #close()} has begun: a crash noticed during shutdown must not start a new JVM.
     *
     * @return whether a new JVM was started
     */
    synchronized boolean restart() {
        if (closed) {
            return false;
        }
        launch();
        return true;
    }

    private void launch() {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        INHERITED_SETTINGS.forEach(environment::remove);
        environment.keySet().removeIf(key -> key.startsWith("JOBSTREAM_") || key.startsWith("SPRING_"));
        process = Commands.start(builder, log);
    }

    /** Where its Kafka Streams state lives ({@code --jobstream.kafka.data-dir}). */
    Path dataDir() {
        return dataDir;
    }

    /** The JVM running now; a restart replaces it. */
    synchronized Process process() {
        return process;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process().pid();
    }

    ProcessHandle handle() {
        return process().toHandle();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    /** Waits until {@code /actuator/health} answers UP; fails at once if the JVM exits. */
    void awaitHealthy(Http http, Duration timeout) {
        Process process = process();
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

    /** Completes when the JVM running now ends, for whatever reason. */
    CompletableFuture<Process> onExit() {
        return process().onExit();
    }

    @Override
    public void close() throws InterruptedException {
        Process last;
        synchronized (this) {
            closed = true;
            last = process;
        }
        Commands.stop(last.toHandle(), STOP_GRACE);
    }
}
