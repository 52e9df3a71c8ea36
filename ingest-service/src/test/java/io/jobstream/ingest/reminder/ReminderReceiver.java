package io.jobstream.ingest.reminder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A channel's receiver as a notification provider would run one: records every request with its
 * arrival time and answers 200, or the statuses scripted for a schedule id (Idempotency-Key).
 */
final class ReminderReceiver implements AutoCloseable {

    record Received(Instant at, String path, String idempotencyKey, String signature, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

    ReminderReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", this::handle);
        // A held answer blocks only its own request.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + path);
    }

    /** The next requests carrying {@code key} get these statuses, in order; later ones 200. */
    void answer(String key, Integer... statuses) {
        scripted.put(key, new ArrayDeque<>(List.of(statuses)));
    }

    /** Requests carrying {@code key} are recorded at once but answered only after {@code release} counts down. */
    CountDownLatch hold(String key) {
        return held.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    List<Received> received(String key) {
        return received.stream().filter(r -> key.equals(r.idempotencyKey())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant at = Instant.now();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        received.add(new Received(at, exchange.getRequestURI().getPath(), key,
                exchange.getRequestHeaders().getFirst("X-Jobstream-Signature"), body));
        CountDownLatch release = key == null ? null : held.get(key);
        if (release != null) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Deque<Integer> statuses = key == null ? null : scripted.get(key);
        Integer status = statuses == null ? null : statuses.pollFirst();
        byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
