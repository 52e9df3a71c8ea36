package io.jobstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.jobstream.test.FreePorts;

/** ingest-service and embedding-processor as child JVMs wired to the local infrastructure, started together. */
record Services(ServiceProcess ingest, ServiceProcess processor) implements AutoCloseable {

    static final String INGEST = "ingest-service";
    static final String PROCESSOR = "embedding-processor";
    // Two Spring Boot JVMs, Kafka Streams and the ONNX model share two cores with the broker.
    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(4);

    static Services start(Path repository, Infrastructure infrastructure, Workspace workspace, Teardown teardown,
                          Console console, Http http) {
        return start(repository, infrastructure, workspace, teardown, console, http, List.of(), List.of());
    }

    /**
     * @param ingestProperties    further {@code --name=value} settings of the ingest service
     * @param processorProperties further {@code --name=value} settings of the embedding processor
     */
    static Services start(Path repository, Infrastructure infrastructure, Workspace workspace, Teardown teardown,
                          Console console, Http http, List<String> ingestProperties, List<String> processorProperties) {
        long begin = System.nanoTime();
        // Both jars first: a missing one must fail the run before anything is running.
        Path ingestJar = copyOfJar(repository, INGEST, workspace);
        Path processorJar = copyOfJar(repository, PROCESSOR, workspace);
        ServiceProcess ingest = launch(INGEST, ingestJar, infrastructure, workspace, List.of(), ingestProperties);
        ServiceProcess processor = launch(PROCESSOR, processorJar, infrastructure, workspace,
                // The tokenizer's native library is unpacked here rather than in ~/.djl.ai.
                List.of("-DDJL_CACHE_DIR=" + workspace.directory("djl")), processorProperties);
        Services services = new Services(ingest, processor);
        teardown.add("ingest-service (pid " + ingest.pid() + "), embedding-processor (pid " + processor.pid() + ")", services);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> healthy = Stream.of(ingest, processor).<Future<?>>map(service -> executor.submit(() -> {
                service.awaitHealthy(http, HEALTH_TIMEOUT);
                console.ready(service.name(), Duration.ofNanos(System.nanoTime() - begin),
                        service.baseUrl() + "  pid " + service.pid() + "  log " + service.log());
            })).toList();
            healthy.forEach(Futures::await);
        }
        return services;
    }

    private static ServiceProcess launch(String module, Path jar, Infrastructure infrastructure, Workspace workspace,
                                         List<String> extraJvmOptions, List<String> extraProperties) {
        List<String> jvmOptions = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                // Two cores run everything: C1 alone compiles the services' ~12,000 hot methods at a
                // fraction of C2's CPU, and the serial collector needs no concurrent GC threads.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // Native libraries unpacked at start-up (RocksDB, ONNX Runtime) land in the workspace too.
                "-Djava.io.tmpdir=" + workspace.directory("tmp")));
        jvmOptions.addAll(extraJvmOptions);
        List<String> properties = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--jobstream.kafka.bootstrap-servers=" + infrastructure.kafka().bootstrapServers(),
                "--jobstream.kafka.data-dir=" + workspace.directory(module),
                // One instance of each: a standby replica would have nowhere to live.
                "--jobstream.kafka.standby-replicas=0",
                // Ctrl-C reaches the broker too, so a graceful close cannot commit anyway: keep it short.
                "--jobstream.kafka.close-timeout=5s",
                "--spring.datasource.url=" + infrastructure.postgres().jdbcUrl(),
                "--spring.datasource.username=" + LocalPostgres.USER,
                "--spring.datasource.password=" + infrastructure.postgres().password()));
        infrastructure.redis().ifPresent(redis -> properties.add("--jobstream.rate-limits.redis-url=" + redis.uri()));
        properties.addAll(extraProperties);
        return ServiceProcess.start(module, jar, FreePorts.next(), jvmOptions, properties, workspace.log(module));
    }

    /**
     * The module's jar, copied into the workspace: a Spring Boot jar is read while the service runs,
     * so rebuilding the module would otherwise break the running service.
     */
    private static Path copyOfJar(Path repository, String module, Workspace workspace) {
        Path copy = workspace.directory("jars").resolve(module + ".jar");
        try {
            return Files.copy(jar(repository, module), copy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the " + module + " jar to " + copy, e);
        }
    }

    /** {@code <module>/target/<module>-<version>.jar}, the Spring Boot jar the Maven build made. */
    private static Path jar(Path repository, String module) {
        Path target = repository.resolve(module).resolve("target");
        List<Path> jars;
        try (Stream<Path> files = Files.list(target)) {
            jars = files.filter(file -> file.getFileName().toString().matches(module + "-\\d.*\\.jar")).toList();
        } catch (IOException e) {
            jars = List.of();
        }
        if (jars.size() != 1) {
            throw new LaunchException((jars.isEmpty() ? "no " : "more than one ") + module + " jar in " + target
                    + ": build it with ./mvnw -q -B install -DskipTests (scripts/run-local.sh does)");
        }
        return jars.getFirst();
    }

    /** Blocks until either service's JVM ends, and returns that one. */
    ServiceProcess awaitAnyExit() {
        CompletableFuture.anyOf(ingest.onExit(), processor.onExit()).join();
        return ingest.onExit().isDone() ? ingest : processor;
    }

    /** Stops both at once: each waits for its own graceful shutdown. */
    @Override
    public void close() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stopped = Stream.of(processor, ingest)
                    .<Future<?>>map(service -> executor.submit(() -> {
                        service.close();
                        return null;
                    }))
                    .toList();
            stopped.forEach(Futures::await);
        }
    }
}
