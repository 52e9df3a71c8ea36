package io.jobstream.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo reminder's receiver: dispatch-processor's webhook channel posts each due reminder here,
 * and the launcher prints it when it arrives, with how long after its {@code sendAt}.
 */
final class ReminderReceiver implements AutoCloseable {

    static final String PATH = "/reminders";

    private final HttpServer server;

    private ReminderReceiver(HttpServer server) {
        this.server = server;
    }

    static ReminderReceiver start(JsonMapper json, Console console) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new LaunchException("cannot start the reminder receiver: " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(PATH, exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                JsonNode reminder = json.readTree(body.readAllBytes());
                Duration late = Duration.between(Instant.parse(reminder.path("sendAt").asString()), Instant.now());
                console.info(String.format(Locale.ROOT, "  reminder %s received: \"%s\", %.2f s after its sendAt",
                        reminder.path("scheduleId").asString(), reminder.path("payload").path("title").asString(),
                        late.toMillis() / 1000.0));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        return new ReminderReceiver(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
