package io.jobstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.jobstream.test.FreePorts;

/**
 * A throwaway PostgreSQL 15 cluster with pgvector in the workspace, started the way test-support's
 * {@code PostgresCluster} starts one (initdb, loopback only, trust authentication, durability off).
 * That class is package-private and lives as long as the JVM; this one is stopped with the run, by
 * {@code pg_ctl stop} and, should the postmaster linger, by its PID.
 */
final class LocalPostgres implements AutoCloseable {

    static final String DATABASE = "jobstream";
    static final String USER = "jobstream";
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

    private LocalPostgres(Path dir, int port, boolean root) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.root = root;
    }

    /** Creates, starts and prepares the cluster: database {@value #DATABASE} with the vector extension. */
    static LocalPostgres start(Workspace workspace) {
        checkInstalled();
        boolean root = isRoot();
        LocalPostgres postgres = new LocalPostgres(workspace.directory("postgres"), FreePorts.next(), root);
        postgres.prepareDirectory();
        postgres.initdb();
        try {
            postgres.startServer();
            postgres.createDatabase();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Trust authentication ignores it; Spring's data source still wants one. */
    String password() {
        return USER;
    }

    Path log() {
        return dir.resolve("postgres.log");
    }

    /** The postmaster, read from its pid file; empty once it has stopped. */
    Optional<ProcessHandle> postmaster() {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            String firstLine = Files.readAllLines(pidFile).getFirst().trim();
            return ProcessHandle.of(Long.parseLong(firstLine));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        Optional<ProcessHandle> postmaster = postmaster();
        if (postmaster.isEmpty()) {
            return;
        }
        try {
            // Fast: disconnect clients and stop now; the data is thrown away anyway.
            Commands.run(COMMAND_TIMEOUT, dir.resolve("pg_ctl.log"), asServiceUser(BIN.resolve("pg_ctl").toString(),
                    "stop", "--pgdata=" + data, "--mode=fast", "--wait"));
        } catch (LaunchException e) {
            // pg_ctl could not stop it; the postmaster's PID still can, just below.
        }
        stopByPid(postmaster.get());
    }

    private static void stopByPid(ProcessHandle postmaster) {
        try {
            Commands.stop(postmaster, STOP_GRACE);
        } catch (InterruptedException e) {
            postmaster.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
            throw new LaunchException("PostgreSQL refuses to run as root and there is no '" + SERVICE_USER
                    + "' user to run it as: run scripts/setup-dev.sh (installing postgresql-15 creates it)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private void initdb() {
        Commands.run(COMMAND_TIMEOUT, dir.resolve("initdb.log"), asServiceUser(BIN.resolve("initdb").toString(),
                "--pgdata=" + data, "--username=" + USER, "--auth=trust", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions"));
    }

    private void startServer() {
        String options = String.join(" ", "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dir.resolve("socket"), "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200");
        Commands.run(COMMAND_TIMEOUT, dir.resolve("pg_ctl.log"), asServiceUser(BIN.resolve("pg_ctl").toString(),
                "start", "--pgdata=" + data, "--log=" + log(), "--wait", "--timeout=" + COMMAND_TIMEOUT.toSeconds(),
                "--options=" + options));
    }

    private void createDatabase() {
        String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(admin, USER, password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new LaunchException("cannot create database " + DATABASE + " on " + admin + ": " + e.getMessage(), e);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        } catch (SQLException e) {
            throw new LaunchException("pgvector cannot be loaded (" + e.getMessage() + "): run scripts/setup-dev.sh", e);
        }
    }

    private static void checkInstalled() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new LaunchException("PostgreSQL 15 is missing (no " + BIN.resolve("initdb") + "): run scripts/setup-dev.sh");
        }
        if (!Files.exists(VECTOR_CONTROL)) {
            throw new LaunchException("pgvector is missing (no " + VECTOR_CONTROL + "): run scripts/setup-dev.sh");
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
