package io.jobstream.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.jobstream.test.BootJar;
import io.jobstream.test.FreePorts;

/** Service modules as child JVMs wired to the local infrastructure, started together. */
record Services(List<ServiceProcess> all) implements AutoCloseable {

    static final String INGEST = "ingest-service";
    static final String PROCESSOR = "embedding-processor";
    // Up to seven Spring Boot JVMs, Kafka Streams and three models share two cores with the broker.
    static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(8);

    /**
     * A service module to run.
     *
     * @param properties its own {@code --name=value} settings, beyond those every service gets
     */
    record Service(String module, List<String> properties) {

        static Service of(String module, String... properties) {
            return new Service(module, List.of(properties));
        }
    }

    static Services start(Path repository, Infrastructure infrastructure, Workspace workspace, Teardown teardown,
                          Console console, Http http, List<Service> modules) {
        // Every jar first: a missing one must fail the run before anything is running.
        List<Path> builds = modules.stream().map(service -> jar(repository, service.module())).toList();
        List<BootJar> jars = builds.stream().map(BootJar::unpack).toList();
        // Ports first: a service's settings may name another's URL.
        Map<String, Integer> ports = new HashMap<>();
        modules.forEach(service -> ports.put(service.module(), FreePorts.next()));
        train(modules, jars, ports, infrastructure, workspace, console);
        long begin = System.nanoTime();
        List<ServiceProcess> started = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            Service service = modules.get(i);
            Path dataDir = workspace.directory(service.module());
            started.add(ServiceProcess.start(service.module(), jars.get(i).command(jvmOptions(service.module(), workspace)),
                    ports.get(service.module()), dataDir, properties(service, ports, dataDir, infrastructure),
                    workspace.log(service.module())));
        }
        Services services = new Services(List.copyOf(started));
        // Names only: a restarted service has a new pid.
        teardown.add(String.join(", ", modules.stream().map(Service::module).toList()), services);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> healthy = started.stream().<Future<?>>map(service -> executor.submit(() -> {
                awaitStarted(service, http, console);
                console.ready(service.name(), Duration.ofNanos(System.nanoTime() - begin),
                        service.baseUrl() + "  pid " + service.pid() + "  log " + service.log());
            })).toList();
            healthy.forEach(Futures::await);
        }
        return services;
    }

    /**
     * Waits until the service is healthy. One that exits while starting (on a loaded machine a start-up
     * transaction can time out) is started again, up to {@link Supervisor#FAILED_RESTARTS_LIMIT} times.
     */
    private static void awaitStarted(ServiceProcess service, Http http, Console console) {
        for (int restarts = 0; ; restarts++) {
            try {
                service.awaitHealthy(http, HEALTH_TIMEOUT);
                return;
            } catch (LaunchException e) {
                if (service.process().isAlive() || restarts >= Supervisor.FAILED_RESTARTS_LIMIT || !service.restart()) {
                    throw e;
                }
                console.warn(e.getMessage() + "\n" + service.name() + " exited while starting: starting it again");
            }
        }
    }

    ServiceProcess ingest() {
        return named(INGEST);
    }

    ServiceProcess processor() {
        return named(PROCESSOR);
    }

    ServiceProcess named(String module) {
        return all.stream().filter(service -> service.name().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(module + " is not running"));
    }

    /**
     * Makes each service's AOT cache that a build has none of yet, one service at a time: a training start
     * against the infrastructure that exits once its context is refreshed. It is made once per build, and
     * every start after it (a restart after a crash above all) maps Spring's classes from it.
     */
    private static void train(List<Service> modules, List<BootJar> jars, Map<String, Integer> ports,
                              Infrastructure infrastructure, Workspace workspace, Console console) {
        for (int i = 0; i < modules.size(); i++) {
            Service service = modules.get(i);
            String module = service.module();
            List<String> jvmOptions = jvmOptions(module, workspace);
            if (jars.get(i).hasCache(jvmOptions)) {
                continue;
            }
            long begin = System.nanoTime();
            console.info("preparing " + module + "'s fast start (an AOT cache, once per build) ...");
            // A port and a data directory of its own: the training must not meet the service itself.
            Map<String, Integer> trainingPorts = new HashMap<>(ports);
            trainingPorts.put(module, FreePorts.next());
            List<String> properties = properties(service, trainingPorts, workspace.directory("training-" + module), infrastructure);
            boolean made = jars.get(i).train(jvmOptions, properties, workspace.log("training-" + module));
            if (made) {
                console.ready(module + " AOT cache", Duration.ofNanos(System.nanoTime() - begin), "");
            } else {
                console.warn(module + " starts without an AOT cache; see " + workspace.log("training-" + module));
            }
        }
    }

    private static List<String> jvmOptions(String module, Workspace workspace) {
        return List.of("--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                // Two cores run everything: C1 alone compiles the services' ~12,000 hot methods at a
                // fraction of C2's CPU, and the serial collector needs no concurrent GC threads.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // Native libraries unpacked at start-up (RocksDB, ONNX Runtime) land in the workspace too.
                "-Djava.io.tmpdir=" + workspace.directory("tmp"),
                // The tokenizer's native library is unpacked here rather than in ~/.djl.ai; one directory
                // per service, so that two JVMs never unpack into the same one at once.
                "-DDJL_CACHE_DIR=" + workspace.directory("djl-" + module));
    }

    /** Its settings, on the port {@code ports} gives it, its state in {@code dataDir}. */
    private static List<String> properties(Service service, Map<String, Integer> ports, Path dataDir,
                                           Infrastructure infrastructure) {
        String module = service.module();
        List<String> properties = new ArrayList<>(List.of(
                "--server.port=" + ports.get(module),
                "--spring.main.banner-mode=off",
                "--jobstream.kafka.bootstrap-servers=" + infrastructure.kafka().bootstrapServers(),
                "--jobstream.kafka.data-dir=" + dataDir,
                // One instance of each: a standby replica would have nowhere to live.
                "--jobstream.kafka.standby-replicas=0",
                // Static membership: restarted after a crash, the instance gets its tasks back at once
                // instead of waiting out its dead member's session.
                "--jobstream.kafka.instance-id=" + module,
                // Ctrl-C reaches the broker too, so a graceful close cannot commit anyway: keep it short.
                "--jobstream.kafka.close-timeout=5s",
                "--spring.datasource.url=" + infrastructure.postgres().jdbcUrl(),
                "--spring.datasource.username=" + LocalPostgres.USER,
                "--spring.datasource.password=" + infrastructure.postgres().password()));
        infrastructure.redis().ifPresent(redis -> properties.add("--jobstream.rate-limits.redis-url=" + redis.uri()));
        if (module.equals(INGEST)) {
            // A run follows its jobs by their statuses and its queues' counts; retention would trim each
            // queue's completed jobs to the newest 100 a minute in, and a run of 420 posts could never
            // count them all. A pass would also land in a benchmark's measured window, or not.
            properties.add("--jobstream.ingest.retention.enabled=false");
        }
        if (module.equals(INGEST) && ports.containsKey(PROCESSOR)) {
            // Search is embedding-processor's; ingest-service passes it on, so one base URL serves every route.
            properties.add("--jobstream.ingest.search.url=http://127.0.0.1:" + ports.get(PROCESSOR));
        }
        properties.addAll(service.properties());
        return properties;
    }

    /**
     * The Spring Boot jar the Maven build made: {@code <module>/target/<module>-<version>-exec.jar} where the
     * module keeps its plain jar for other modules to depend on, else {@code <module>-<version>.jar}.
     */
    private static Path jar(Path repository, String module) {
        Path target = repository.resolve(module).resolve("target");
        Pattern built = Pattern.compile(Pattern.quote(module) + "-\\d[^-]*(-SNAPSHOT)?(-exec)?\\.jar");
        List<Path> jars;
        try (Stream<Path> files = Files.list(target)) {
            jars = files.filter(file -> built.matcher(file.getFileName().toString()).matches()).toList();
        } catch (IOException e) {
            jars = List.of();
        }
        List<Path> executable = jars.stream().filter(file -> file.getFileName().toString().endsWith("-exec.jar")).toList();
        List<Path> candidates = executable.isEmpty() ? jars : executable;
        if (candidates.size() != 1) {
            throw new LaunchException((candidates.isEmpty() ? "no " : "more than one ") + module + " jar in " + target
                    + ": build it with ./mvnw -q -B package -DskipTests (scripts/run-local.sh does)");
        }
        return candidates.getFirst();
    }

    /** Stops them all at once: each waits for its own graceful shutdown. */
    @Override
    public void close() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stopped = all.stream()
                    .<Future<?>>map(service -> executor.submit(() -> {
                        service.close();
                        return null;
                    }))
                    .toList();
            stopped.forEach(Futures::await);
        }
    }
}
