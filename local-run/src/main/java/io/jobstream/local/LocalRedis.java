package io.jobstream.local;

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
import java.util.Optional;
import java.util.stream.Stream;

import io.jobstream.test.FreePorts;

/**
 * {@code redis-server} as a child process on a free port, without persistence, like test-support's
 * package-private {@code RedisServer} but owned by the run: stopped by the PID held here.
 */
final class LocalRedis implements AutoCloseable {

    private static final String BINARY = "redis-server";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final int port;

    private LocalRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Redis when {@code redis-server} is on the PATH; empty when it is not installed. */
    static Optional<LocalRedis> startIfInstalled(Workspace workspace) {
        Optional<Path> binary = onPath(BINARY);
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        Path dir = workspace.directory("redis");
        Path log = workspace.log("redis");
        int port = FreePorts.next();
        Process process = Commands.start(new ProcessBuilder(binary.get().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()), log);
        LocalRedis redis = new LocalRedis(process, port);
        try {
            redis.awaitPong(log);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        return Optional.of(redis);
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            Commands.stop(process.toHandle(), STOP_GRACE);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPong(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new LaunchException("redis-server exited with code " + process.exitValue() + "\n" + Commands.tail(log));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new LaunchException("redis-server did not answer PING within " + START_TIMEOUT.toSeconds() + " s\n"
                        + Commands.tail(log));
            }
            Pause.briefly();
        }
    }

    /** {@code PING} over a raw socket: the launcher needs no Redis client for this one check. */
    private boolean answersPing() {
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

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
