package io.jobstream.chaos;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import io.jobstream.test.ServiceProcess;

/** One service instance: a JVM of its own with a stable instance id (its name), killed and restarted by faults. */
final class Instance {

    private final String name;
    private final ServiceKind kind;
    private final int port;
    private final ServiceProcess process;
    private final Http http;

    private Instance(String name, ServiceKind kind, int port, ServiceProcess process, Http http) {
        this.name = name;
        this.kind = kind;
        this.port = port;
        this.process = process;
        this.http = http;
    }

    static Instance start(String name, ServiceKind kind, int port, Path repository, Path dir, List<String> args, Http http) {
        return new Instance(name, kind, port, ServiceProcess.startJar(dir, kind.jar(repository), args), http);
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

    /** SIGKILL, as a crash would, then the same command again, as a supervisor would. */
    synchronized void killAndRestart() {
        process.restart();
    }

    /** Starts the instance again if it exited by itself (not killed by a fault); true if it had. */
    synchronized boolean restartIfExited() {
        if (process.isAlive()) {
            return false;
        }
        process.restart();
        return true;
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
