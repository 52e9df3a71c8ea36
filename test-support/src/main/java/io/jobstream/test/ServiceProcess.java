package io.jobstream.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jobstream service in its own OS process, for tests that kill one with SIGKILL as a crash would.
 * It runs the service's main class from the test classpath; its output goes to {@code service.log}
 * in its directory, which a failure should quote ({@link #logTail()}).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final List<String> command;
    private final Thread shutdownHook = new Thread(this::kill, "service-process-cleanup");
    private Process process;
    private Path pidFile;

    private ServiceProcess(Path dir, List<String> command) {
        this.dir = dir;
        this.command = command;
    }

    /** Starts {@code mainClass} with {@code args}; {@code dir} keeps its launch files and log. */
    public static ServiceProcess start(Path dir, String mainClass, List<String> args) {
        ChildProcesses.reapOrphansOnce();
        return launched(new ServiceProcess(dir, JavaCommand.of(dir, mainClass, args.toArray(String[]::new))));
    }

    /**
     * Starts a service's unpacked Spring Boot jar with {@code args}, from its AOT cache if {@link #train} made one;
     * {@code dir} keeps its launch files and log.
     */
    public static ServiceProcess startJar(Path dir, BootJar jar, List<String> args) {
        ChildProcesses.reapOrphansOnce();
        return launched(new ServiceProcess(dir, JavaCommand.ofJar(dir, jar, args.toArray(String[]::new))));
    }

    /**
     * Makes the AOT cache that {@link #startJar} starts {@code jar} from, unless it is there: a training start
     * with {@code args} (a port and data directory of its own), logged to {@code dir/training.log}.
     *
     * @return whether the cache is there now
     */
    public static boolean train(Path dir, BootJar jar, List<String> args) {
        return JavaCommand.train(dir, jar, args.toArray(String[]::new));
    }

    private static ServiceProcess launched(ServiceProcess service) {
        Runtime.getRuntime().addShutdownHook(service.shutdownHook);
        service.launch();
        return service;
    }

    /** Kills the process with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.onExit().join();
            log.info("service process {} killed", process.pid());
        }
        ChildProcesses.forget(pidFile);
    }

    /** Starts the same command again (same arguments, same directory); a running process is killed first. */
    public synchronized void restart() {
        kill();
        launch();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return dir.resolve("service.log");
    }

    public String logTail() {
        return Commands.tail(dir.resolve("service.log"));
    }

    /** Stops the process as SIGTERM would (graceful), killing it if it takes longer than 30 s. */
    @Override
    public synchronized void close() {
        Commands.stop(process.toHandle(), STOP_GRACE);
        try {
            process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcesses.forget(pidFile);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    private void launch() {
        process = Commands.start(dir.resolve("service.log"), command);
        pidFile = ChildProcesses.record(process.toHandle());
        log.info("service process {} started, log {}", process.pid(), dir.resolve("service.log"));
    }
}
