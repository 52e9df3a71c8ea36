package io.jobstream.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 cluster with pgvector available, in a directory the caller owns: initdb,
 * loopback only, trust authentication, durability off. Stopping it is the caller's call
 * ({@link #close()}); tests share one per JVM, the local run owns one per run.
 */
public final class PostgresInstance implements AutoCloseable {

    public static final String USER = "jobstream";
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path VECTOR_CONTROL = Path.of("/usr/share/postgresql/15/extension/vector.control");
    // initdb and postgres refuse to run as root; Debian's postgresql package creates this user.
    private static final String SERVICE_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean root;
    private Path pidFile;

    private PostgresInstance(Path dir, int port, boolean root) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.root = root;
    }

    /** Creates and starts a cluster in {@code dir}, which must exist and be empty. */
    public static PostgresInstance start(Path dir) {
        checkInstalled();
        ChildProcesses.reapOrphansOnce();
        PostgresInstance postgres = new PostgresInstance(dir, FreePorts.next(), isRoot());
        postgres.prepareDirectory();
        Commands.run(COMMAND_TIMEOUT, dir.resolve("initdb.log"), postgres.asServiceUser(BIN.resolve("initdb").toString(),
                "--pgdata=" + postgres.data, "--username=" + USER, "--auth=trust", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions"));
        try {
            postgres.startServer();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code db} on this cluster. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    /** Trust authentication ignores it; data sources still want one. */
    public String password() {
        return USER;
    }

    public Path log() {
        return dir.resolve("postgres.log");
    }

    /** The postmaster, read from its pid file; empty once it has stopped. */
    public Optional<ProcessHandle> postmaster() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops the cluster (fast: clients are disconnected), by its PID should pg_ctl fail. The directory stays. */
    @Override
    public void close() {
        Optional<ProcessHandle> postmaster = postmaster();
        if (postmaster.isEmpty()) {
            return;
        }
        try {
            Commands.run(COMMAND_TIMEOUT, dir.resolve("pg_ctl.log"), asServiceUser(BIN.resolve("pg_ctl").toString(),
                    "stop", "--pgdata=" + data, "--mode=fast", "--wait"));
        } catch (RuntimeException pgCtlFailed) {
            // The postmaster's PID still stops it, just below.
        }
        Commands.stop(postmaster.get(), STOP_GRACE);
        if (pidFile != null) {
            ChildProcesses.forget(pidFile);
        }
    }

    /** Starts a {@link #close() stopped} cluster again, on the same port and data (a database outage ending). */
    public void restart() {
        if (postmaster().isPresent()) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is still running");
        }
        startServer();
    }

    private void prepareDirectory() {
        try {
            Files.createDirectories(dir.resolve("socket"));
            Files.createFile(log());
            if (root) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER);
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : (Iterable<Path>) paths::iterator) {
                        Files.setOwner(path, owner);
                    }
                }
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and there is no '" + SERVICE_USER
                    + "' user to run it as: run scripts/setup-dev.sh (installing postgresql-15 creates it)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private void startServer() {
        String options = String.join(" ", "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dir.resolve("socket"), "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200");
        Commands.run(COMMAND_TIMEOUT, dir.resolve("pg_ctl.log"), asServiceUser(BIN.resolve("pg_ctl").toString(),
                "start", "--pgdata=" + data, "--log=" + log(), "--wait", "--timeout=" + COMMAND_TIMEOUT.toSeconds(),
                "--options=" + options));
        // pg_ctl has exited: the postmaster is the process a killed test JVM would leave behind.
        postmaster().ifPresent(postmaster -> pidFile = ChildProcesses.record(postmaster));
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

    private List<String> asServiceUser(String... command) {
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
}
