package io.jobstream.test;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one {@code redis-server} of this test JVM, started on first use and stopped with the JVM. */
final class RedisServer {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);

    private static URI uri;

    private RedisServer() {
    }

    static synchronized URI shared() {
        if (uri == null) {
            long start = System.nanoTime();
            Path dir = TempDirs.create("jobstream-redis-");
            RedisInstance redis;
            try {
                redis = RedisInstance.start(dir);
            } catch (RuntimeException e) {
                TempDirs.deleteQuietly(dir);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                redis.close();
                TempDirs.deleteQuietly(dir);
            }, "redis-server-cleanup"));
            log.info("redis-server {} started in {} ms", redis.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            uri = URI.create(redis.uri());
        }
        return uri;
    }
}
