package io.jobstream.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The reminders' receiver: answers every delivery 200 and logs it (time and {@code Idempotency-Key}, the
 * schedule id) to {@code reminders-received.log}, the record the run counts "sent twice" from.
 */
final class ReminderReceiver implements AutoCloseable {

    private static final String LOG_NAME = "reminders-received.log";

    private final HttpServer server;
    private final Writer log;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    /** Logs to {@code reminders-received.log} in {@code dir}. */
    ReminderReceiver(Path dir) {
        try {
            log = Files.newBufferedWriter(dir.resolve(LOG_NAME), StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the reminder receiver", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/reminders", this::receive);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/reminders";
    }

    /** How many times each schedule id was delivered. */
    Map<String, Integer> deliveries() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        received.forEach((id, count) -> counts.put(id, count.get()));
        return counts;
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            received.computeIfAbsent(String.valueOf(key), id -> new AtomicInteger()).incrementAndGet();
            synchronized (log) {
                log.write(Instant.now() + " " + key + "\n");
                log.flush();
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + LOG_NAME, e);
        }
    }
}
