package io.jobstream.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) in its own OS process, for
 * tests that kill or restart the broker. It runs the Kafka classes already on the test JVM's
 * classpath with the same {@code java}; storage lives in a temporary directory that survives
 * {@link #kill()} and {@link #restart()} and is deleted by {@link #close()}.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int brokerPort;
    private final Thread shutdownHook = new Thread(this::destroy, "kafka-broker-process-cleanup");
    private Process process;
    private Path pidFile;

    private KafkaBrokerProcess(Path dir, int brokerPort) {
        this.dir = dir;
        this.brokerPort = brokerPort;
    }

    /** Formats a fresh storage directory, starts the broker and waits until it serves clients. */
    public static KafkaBrokerProcess start() {
        ChildProcesses.reapOrphansOnce();
        long start = System.nanoTime();
        KafkaBrokerProcess broker = new KafkaBrokerProcess(TempDirs.create("jobstream-kafka-"), FreePorts.next());
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.writeConfig(FreePorts.next());
            long format = System.nanoTime();
            Commands.run(FORMAT_TIMEOUT, broker.dir.resolve("format.log"), broker.javaCommand(
                    "kafka.tools.StorageTool", "format", "--standalone",
                    "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", broker.serverProperties().toString()));
            log.debug("kafka storage formatted in {} ms", millisSince(format));
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
        launch();
        log.info("kafka broker process {} restarted in {} ms", process.pid(), millisSince(start));
    }

    /** Kills the broker and deletes its storage. */
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
        TempDirs.deleteQuietly(dir);
    }

    private synchronized void launch() {
        process = Commands.start(dir.resolve("broker.log"), javaCommand("kafka.Kafka", serverProperties().toString()));
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
        if (!process.isAlive()) {
            throw new IllegalStateException("kafka broker exited with code " + process.exitValue() + "\n"
                    + Commands.tail(dir.resolve("broker.log")));
        }
    }

    private void writeConfig(int controllerPort) {
        String broker = "PLAINTEXT://127.0.0.1:" + brokerPort;
        String controller = "CONTROLLER://127.0.0.1:" + controllerPort;
        Properties config = new Properties();
        config.putAll(SingleNodeBrokerConfig.properties());
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        config.put("listeners", broker + "," + controller);
        config.put("advertised.listeners", broker + "," + controller);
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        config.put("log.dirs", dir.resolve("data").toString());
        // After a kill -9 the controller refuses the restarted broker's registration until the
        // dead incarnation's session expires (9 s by default): keep that wait short.
        config.put("broker.heartbeat.interval.ms", "500");
        config.put("broker.session.timeout.ms", "3000");
        try (Writer out = Files.newBufferedWriter(serverProperties(), StandardCharsets.UTF_8)) {
            config.store(out, "single-node KRaft broker for jobstream tests");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker configuration in " + dir, e);
        }
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
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
