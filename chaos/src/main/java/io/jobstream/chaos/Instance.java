package io.jobstream.chaos;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jobstream.test.BootJar;
import io.jobstream.test.CrashedProducers;
import io.jobstream.test.ServiceProcess;
import io.jobstream.test.StaticMembers;

/** One service instance: a JVM of its own with a stable instance id (its name), killed and restarted by faults. */
final class Instance {

    private final String name;
    private final ServiceKind kind;
    private final int port;
    private final ServiceProcess process;
    private final Http http;
    private final String bootstrapServers;
    private final Path dataDir;

    private Instance(String name, ServiceKind kind, int port, ServiceProcess process, Http http, String bootstrapServers,
                     Path dataDir) {
        this.name = name;
        this.kind = kind;
        this.port = port;
        this.process = process;
        this.http = http;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Starts it in {@code dir}; {@code args} give it {@link #dataDir(Path)} as its data directory. */
    static Instance start(String name, ServiceKind kind, int port, BootJar jar, Path dir, List<String> args, Http http,
                          String bootstrapServers) {
        return new Instance(name, kind, port, ServiceProcess.startJar(dir, jar, args), http, bootstrapServers,
                dataDir(dir));
    }

    /** The data directory (its Kafka Streams state) of the instance that runs in {@code dir}. */
    static Path dataDir(Path dir) {
        return dir.resolve("data");
    }

    String name() {
        return name;
    }

    ServiceKind kind() {
        return kind;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Its Kafka Streams application's state from the health endpoint; {@code DOWN} when it does not answer. */
    String streamsState() {
        Http.Response health = http.get(uri("/actuator/health"));
        String state = health.body().path("components").path("streams").path("details").path("state").asString();
        return state.isEmpty() ? "DOWN" : state;
    }

    /** Processing: every task assigned and running (not rebalancing, not restoring). */
    boolean running() {
        return "RUNNING".equals(streamsState());
    }

    /** SIGKILL, as a crash would, then what a supervisor does: hands its partitions over and starts it again. */
    synchronized void killAndRestart() {
        process.kill();
        restartCrashed();
    }

    /** Starts the instance again if it exited by itself (not killed by a fault); true if it had. */
    synchronized boolean restartIfExited() {
        if (process.isAlive()) {
            return false;
        }
        restartCrashed();
        return true;
    }

    /**
     * First its open transactions are fenced, so that no reader waits for them to time out, and its static members
     * leave their groups, so that the surviving instance takes over while this one starts.
     */
    private void restartCrashed() {
        CrashedProducers.fence(bootstrapServers, dataDir);
        StaticMembers.remove(bootstrapServers, name);
        process.restart();
    }

    /** The CPU time its JVM has used so far; null if the system does not tell it. */
    Duration cpuTime() {
        return ProcessHandle.of(process.pid()).flatMap(handle -> handle.info().totalCpuDuration()).orElse(null);
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return process.log();
    }

    String logTail() {
        return process.logTail();
    }

    void stop() {
        process.close();
    }
}
