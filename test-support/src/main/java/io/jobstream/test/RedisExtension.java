package io.jobstream.test;

import java.net.URI;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis server for tests:
 * {@code @RegisterExtension static final RedisExtension redis = new RedisExtension();}
 * One throwaway {@code redis-server} serves the whole JVM, so test classes keep their keys apart;
 * with {@code REDIS_URL} ({@code redis://host:port}) set, that server is used instead.
 */
public final class RedisExtension implements BeforeAllCallback {

    private static final String REDIS_URL_ENV = "REDIS_URL";
    private static final int DEFAULT_PORT = 6379;

    private URI uri;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (uri == null) {
            String external = System.getenv(REDIS_URL_ENV);
            uri = external != null && !external.isBlank() ? URI.create(external) : RedisServer.shared();
        }
    }

    /** {@code redis://host:port}. */
    public String uri() {
        return started().toString();
    }

    public String host() {
        return started().getHost();
    }

    /** The port, 6379 when {@code REDIS_URL} names none. */
    public int port() {
        int port = started().getPort();
        return port == -1 ? DEFAULT_PORT : port;
    }

    private synchronized URI started() {
        if (uri == null) {
            throw new IllegalStateException(
                    "redis is not ready: register the extension with @RegisterExtension on a static field");
        }
        return uri;
    }
}
