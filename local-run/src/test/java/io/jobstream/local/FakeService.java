package io.jobstream.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a service's JVM in {@link SupervisorTest}: it answers {@code /actuator/health} UP on
 * the port of its {@code --server.port=} argument until it is killed, and says so on its output.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (String arg : args) {
            if (arg.startsWith("--server.port=")) {
                port = Integer.parseInt(arg.substring("--server.port=".length()));
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        byte[] up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/actuator/health", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, up.length);
                exchange.getResponseBody().write(up);
            }
        });
        server.start();
        System.out.println("fake service " + ProcessHandle.current().pid() + " listening on port " + port);
    }
}
