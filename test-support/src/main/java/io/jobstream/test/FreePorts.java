package io.jobstream.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on the loopback interface for throwaway servers. */
public final class FreePorts {

    // The kernel may hand the same ephemeral port out twice while nothing listens on it yet;
    // remembering what this JVM already gave away keeps two servers started together apart.
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    /** A port that nothing listens on right now and that this JVM has not handed out before. */
    public static synchronized int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = probe();
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found on 127.0.0.1 after 100 attempts");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a port on 127.0.0.1", e);
        }
    }
}
