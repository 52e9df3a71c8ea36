package io.jobstream.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code redis-server} as a child process on a free port, without persistence, in a directory the
 * caller owns; stopped by its PID with {@link #close()}, or by the next test JVM's
 * {@link ChildProcesses} should this one be killed first.
 */
public final class RedisInstance implements AutoCloseable {

    private static final String BINARY = "redis-server";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path dir;
    private final int port;
    private Process process;
    private Path pidFile;

    private RedisInstance(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether {@code redis-server} is on the PATH. */
    public static boolean installed() {
        return binary().isPresent();
    }

    /** Starts Redis with its files and log in {@code dir}, which must exist. */
    public static RedisInstance start(Path dir) {
        Path binary = binary().orElseThrow(() ->
                new IllegalStateException("redis-server is not installed: run scripts/setup-dev.sh, or set REDIS_URL"));
        ChildProcesses.reapOrphansOnce();
        RedisInstance redis = new RedisInstance(dir, FreePorts.next());
        redis.launch(binary);
        return redis;
    }

    /** Starts a {@link #close() stopped} server again on the same port, empty (it keeps nothing on disk). */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        launch(binary().orElseThrow(() -> new IllegalStateException("redis-server is no longer installed")));
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public synchronized void close() {
        Commands.stop(process.toHandle(), STOP_GRACE);
        ChildProcesses.forget(pidFile);
    }

    private synchronized void launch(Path binary) {
        Path log = dir.resolve("redis.log");
        process = Commands.start(log, List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
        pidFile = ChildProcesses.record(process.toHandle());
        try {
            awaitPong(log);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void awaitPong(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue() + "\n" + Commands.tail(log));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("redis-server did not answer within " + START_TIMEOUT + "\n" + Commands.tail(log));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
    }

    /** Sends {@code PING} over a raw socket: true when the server replies {@code +PONG}. */
    static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> binary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, BINARY))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
