package io.jobstream.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-broker KRaft Kafka cluster in OS processes of its own, for tests that kill or restart the
 * broker: a broker, and a controller beside it, as production runs them. {@link #kill()} and
 * {@link #restart()} act on the broker; the controller lives on and fences the dead broker, as it
 * would in production. It runs the Kafka classes already on the test JVM's classpath with the
 * same {@code java}; storage lives in a temporary directory that survives {@link #kill()} and
 * {@link #restart()} and is deleted by {@link #close()}.
 *
 * <p>Why not one combined process: a restarted broker first replays the leadership it had before
 * the crash and starts loading its {@code __consumer_offsets} partitions at that stale epoch. When
 * the controller died with it, the fencing is only written after the restart, the broker skips the
 * demotion, and the stale load runs on. In Kafka 4.2 its completion then activates the group
 * coordinator's new context while that one is still loading: the coordinator serves committed
 * offsets from minutes before, with transactions that never complete, and a Streams client waiting
 * for them stays in REBALANCING for good (the chaos run's finding, with chat answers doubled by the
 * rewound offsets). With a controller that outlives the broker, and {@link #restart()} waiting after a
 * kill until that controller has fenced the dead broker, the fencing is recorded before the restarted
 * broker's first catch-up: it never leads those partitions at the stale epoch, and only the current
 * epoch's load runs.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final String CONTROLLER_NODE_ID = "3000";
    private static final String BROKER_NODE_ID = "1";
    /** What the controller logs when a broker's session has run out. */
    private static final String FENCING = "Fencing broker " + BROKER_NODE_ID + " at epoch";

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private final Thread shutdownHook = new Thread(this::destroy, "kafka-broker-process-cleanup");
    private Process controller;
    private Path controllerPidFile;
    private Process process;
    private Path pidFile;
    /** The controller's fencings of the broker when it was killed; -1 when it was not killed since its start. */
    private long fencingsBeforeKill = -1;

    private KafkaBrokerProcess(Path dir, int brokerPort, int controllerPort) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh storage directory, starts the broker and waits until it serves clients. */
    public static KafkaBrokerProcess start() {
        ChildProcesses.reapOrphansOnce();
        long start = System.nanoTime();
        KafkaBrokerProcess broker = new KafkaBrokerProcess(TempDirs.create("jobstream-kafka-"), FreePorts.next(), FreePorts.next());
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.writeConfigs();
            long format = System.nanoTime();
            String clusterId = Uuid.randomUuid().toString();
            broker.format("controller", "--standalone", "--cluster-id", clusterId);
            broker.format("broker", "--no-initial-controllers", "--cluster-id", clusterId);
            log.debug("kafka storage formatted in {} ms", millisSince(format));
            broker.launchController();
            broker.launch();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("kafka broker process {} started in {} ms on {}", broker.process.pid(), millisSince(start),
                broker.bootstrapServers());
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Kills the broker with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            fencingsBeforeKill = fencings();
        }
        kill(process, pidFile);
    }

    private static void kill(Process process, Path pidFile) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit(process, STOP_TIMEOUT);
        }
        if (pidFile != null) {
            ChildProcesses.forget(pidFile);
        }
    }

    /**
     * Starts the broker again on the same ports and storage; a broker that is still running is
     * shut down cleanly first.
     */
    public synchronized void restart() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(process, STOP_TIMEOUT)) {
                process.destroyForcibly();
                waitForExit(process, STOP_TIMEOUT);
            }
        }
        long start = System.nanoTime();
        if (fencingsBeforeKill >= 0) {
            awaitFenced(fencingsBeforeKill);
            fencingsBeforeKill = -1;
        }
        launch();
        log.info("kafka broker process {} restarted in {} ms", process.pid(), millisSince(start));
    }

    /**
     * Waits until the controller has fenced the killed broker (its session, {@code broker.session.timeout.ms}, ran
     * out), so that the restarted broker's first metadata catch-up already ends in that fencing. Started sooner,
     * it publishes the leadership it had before the crash, starts loading {@code __consumer_offsets} at that stale
     * epoch, and in Kafka 4.2 a load still running when the fencing arrives can activate the coordinator of the
     * epoch after it (see the class comment): a fresh-clone CI's {@code KafkaBrokerRestartOffsetsIT} caught that
     * once in about fifteen runs, the broker restarted 3 s before its fencing. The controller's admin API does not
     * list fenced brokers, so its log tells.
     */
    private void awaitFenced(long fencingsBefore) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (fencings() <= fencingsBefore) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("the controller did not fence the killed broker within " + START_TIMEOUT
                        + "\n" + Commands.tail(dir.resolve("controller.log")));
            }
            pause();
        }
    }

    /** How often the controller's log says it fenced the broker. */
    private long fencings() {
        try (Stream<String> lines = Files.lines(dir.resolve("controller.log"), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(FENCING)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Copies the broker's and the controller's logs into {@code target}, which survives {@link #close()}. */
    public synchronized Path copyLogsTo(Path target) {
        try {
            Files.createDirectories(target);
            for (String log : List.of("broker.log", "controller.log")) {
                Path source = dir.resolve(log);
                if (Files.exists(source)) {
                    Files.copy(source, target.resolve(log), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the broker's logs to " + target, e);
        }
    }

    /** Kills the broker and its controller and deletes their storage. */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    private synchronized void destroy() {
        kill();
        kill(controller, controllerPidFile);
        TempDirs.deleteQuietly(dir);
    }

    private void format(String role, String... args) {
        List<String> format = new ArrayList<>(List.of("format", "--config", properties(role).toString()));
        format.addAll(List.of(args));
        Commands.run(FORMAT_TIMEOUT, dir.resolve(role + "-format.log"),
                javaCommand("kafka.tools.StorageTool", format.toArray(String[]::new)));
    }

    private void launchController() {
        controller = Commands.start(dir.resolve("controller.log"), javaCommand("kafka.Kafka", properties("controller").toString()));
        controllerPidFile = ChildProcesses.record(controller.toHandle());
    }

    private synchronized void launch() {
        process = Commands.start(dir.resolve("broker.log"), javaCommand("kafka.Kafka", properties("broker").toString()));
        pidFile = ChildProcesses.record(process.toHandle());
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        awaitListening(deadline);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (true) {
                checkAlive();
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw new IllegalStateException("kafka broker did not answer within " + START_TIMEOUT
                                + "\n" + Commands.tail(dir.resolve("broker.log")), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the kafka broker", e);
                }
                pause();
            }
        }
    }

    // Until the port accepts connections, an admin client would only log connection warnings.
    private void awaitListening(long deadline) {
        while (true) {
            checkAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", brokerPort), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("kafka broker did not listen on " + brokerPort + " within "
                            + START_TIMEOUT + "\n" + Commands.tail(dir.resolve("broker.log")), e);
                }
            }
            pause();
        }
    }

    private void checkAlive() {
        if (!controller.isAlive()) {
            throw new IllegalStateException("kafka controller exited with code " + controller.exitValue() + "\n"
                    + Commands.tail(dir.resolve("controller.log")));
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("kafka broker exited with code " + process.exitValue() + "\n"
                    + Commands.tail(dir.resolve("broker.log")));
        }
    }

    private void writeConfigs() {
        String controllerListener = "CONTROLLER://127.0.0.1:" + controllerPort;
        Properties shared = new Properties();
        shared.putAll(SingleNodeBrokerConfig.properties());
        shared.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        shared.put("controller.listener.names", "CONTROLLER");
        shared.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");

        Properties controllerConfig = new Properties();
        controllerConfig.putAll(shared);
        controllerConfig.put("process.roles", "controller");
        controllerConfig.put("node.id", CONTROLLER_NODE_ID);
        controllerConfig.put("listeners", controllerListener);
        controllerConfig.put("advertised.listeners", controllerListener);
        controllerConfig.put("log.dirs", dir.resolve("controller-data").toString());
        // After a kill -9 the controller refuses the restarted broker's registration until the
        // dead incarnation's session expires (9 s by default): keep that wait short.
        controllerConfig.put("broker.session.timeout.ms", "3000");
        write(controllerConfig, "controller");

        Properties brokerConfig = new Properties();
        brokerConfig.putAll(shared);
        brokerConfig.put("process.roles", "broker");
        brokerConfig.put("node.id", BROKER_NODE_ID);
        brokerConfig.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        brokerConfig.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        brokerConfig.put("inter.broker.listener.name", "PLAINTEXT");
        brokerConfig.put("log.dirs", dir.resolve("data").toString());
        brokerConfig.put("broker.heartbeat.interval.ms", "500");
        write(brokerConfig, "broker");
    }

    private void write(Properties config, String role) {
        try (Writer out = Files.newBufferedWriter(properties(role), StandardCharsets.UTF_8)) {
            config.store(out, "one-broker KRaft cluster for jobstream tests: the " + role);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + role + " configuration in " + dir, e);
        }
    }

    private Path properties(String role) {
        return dir.resolve(role + ".properties");
    }

    private List<String> javaCommand(String mainClass, String... args) {
        return JavaCommand.of(dir, mainClass, args);
    }

    private static boolean waitForExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kafka broker " + process.pid(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the kafka broker", e);
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
