package io.jobstream.test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one throwaway PostgreSQL cluster of this test JVM, started on first use and gone with the JVM. */
final class PostgresCluster {

    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);

    private static PostgresServer server;

    private PostgresCluster() {
    }

    static synchronized PostgresServer shared() {
        if (server == null) {
            long start = System.nanoTime();
            Path dir = TempDirs.create("jobstream-pg-");
            PostgresInstance instance;
            try {
                instance = PostgresInstance.start(dir);
            } catch (RuntimeException e) {
                TempDirs.deleteQuietly(dir);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.close();
                TempDirs.deleteQuietly(dir);
            }, "postgres-cluster-cleanup"));
            log.info("postgres cluster started in {} ms on 127.0.0.1:{}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), instance.port());
            server = new PostgresServer("127.0.0.1:" + instance.port(), "postgres", "", PostgresInstance.USER,
                    instance.password());
        }
        return server;
    }
}
