package io.jobstream.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's throwaway PostgreSQL 15 cluster: initdb in a temporary directory, a free port on
 * 127.0.0.1, durability switched off for speed, stopped and deleted when the JVM exits.
 */
final class PostgresCluster {

    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path VECTOR_CONTROL = Path.of("/usr/share/postgresql/15/extension/vector.control");
    // initdb and postgres refuse to run as root; Debian's package creates this user.
    private static final String SERVICE_USER = "postgres";
    private static final String SUPERUSER = "jobstream";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private static PostgresServer server;

    private PostgresCluster() {
    }

    static synchronized PostgresServer shared() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static PostgresServer start() {
        checkInstalled();
        long start = System.nanoTime();
        boolean root = isRoot();
        Path dir = TempDirs.create("jobstream-pg-");
        Path data = dir.resolve("data");
        Path socketDir = dir.resolve("socket");
        Path logFile = dir.resolve("postgres.log");
        int port = FreePorts.next();
        try {
            Files.createDirectory(socketDir);
            Files.createFile(logFile);
            if (root) {
                chownRecursively(dir, SERVICE_USER);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, data, dir), "postgres-cluster-cleanup"));

        // Trust authentication: the cluster only listens on loopback and dies with the JVM.
        Commands.run(COMMAND_TIMEOUT, dir.resolve("initdb.log"), asServiceUser(root,
                BIN.resolve("initdb").toString(), "--pgdata=" + data, "--username=" + SUPERUSER,
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"));
        String options = String.join(" ", "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + socketDir, "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200");
        Commands.run(COMMAND_TIMEOUT, dir.resolve("pg_ctl.log"), asServiceUser(root,
                BIN.resolve("pg_ctl").toString(), "start", "--pgdata=" + data, "--log=" + logFile,
                "--wait", "--timeout=" + COMMAND_TIMEOUT.toSeconds(), "--options=" + options));
        log.info("postgres cluster started in {} ms on 127.0.0.1:{}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), port);
        return new PostgresServer("127.0.0.1:" + port, "postgres", "", SUPERUSER, SUPERUSER);
    }

    private static void stop(boolean root, Path data, Path dir) {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                Commands.run(COMMAND_TIMEOUT, dir.resolve("pg_ctl.log"), asServiceUser(root,
                        BIN.resolve("pg_ctl").toString(), "stop", "--pgdata=" + data, "--mode=immediate", "--wait"));
            } catch (RuntimeException e) {
                log.warn("cannot stop the postgres cluster in {}", data, e);
            }
        }
        TempDirs.deleteQuietly(dir);
    }

    private static void checkInstalled() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 is not installed (no " + BIN.resolve("initdb")
                    + "): run scripts/setup-dev.sh, or set DATABASE_URL");
        }
        if (!Files.exists(VECTOR_CONTROL)) {
            throw new IllegalStateException("pgvector is not installed (no " + VECTOR_CONTROL
                    + "): run scripts/setup-dev.sh, or set DATABASE_URL");
        }
    }

    private static List<String> asServiceUser(boolean root, String... command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell which user runs this JVM", e);
        }
    }

    private static void chownRecursively(Path dir, String user) throws IOException {
        UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setOwner(path, owner);
            }
        }
    }
}
