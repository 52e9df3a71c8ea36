package io.jobstream.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JVM's throwaway {@code redis-server}: a child process on a free port, without persistence. */
final class RedisServer {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static URI uri;

    private RedisServer() {
    }

    static synchronized URI shared() {
        if (uri == null) {
            uri = start();
        }
        return uri;
    }

    private static URI start() {
        long start = System.nanoTime();
        Path dir = TempDirs.create("jobstream-redis-");
        Path logFile = dir.resolve("redis.log");
        int port = FreePorts.next();
        Process process;
        try {
            process = Commands.start(logFile, List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", dir.toString()));
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(dir);
            throw new IllegalStateException("cannot start redis-server: run scripts/setup-dev.sh, or set REDIS_URL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, dir), "redis-server-cleanup"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue() + "\n"
                        + Commands.tail(logFile));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("redis-server did not answer within " + START_TIMEOUT + "\n"
                        + Commands.tail(logFile));
            }
            sleep();
        }
        log.info("redis-server {} started in {} ms on 127.0.0.1:{}", process.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), port);
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Sends {@code PING} over a raw socket; true when the server replies {@code +PONG}. */
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

    private static void stop(Process process, Path dir) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        TempDirs.deleteQuietly(dir);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
