package io.jobstream.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import io.jobstream.test.PostgresInstance;

/**
 * The run's PostgreSQL: test-support's throwaway cluster, in the workspace and stopped with the run,
 * with the services' database {@value #DATABASE} and the vector extension in it.
 */
final class LocalPostgres implements AutoCloseable {

    static final String DATABASE = "jobstream";
    static final String USER = PostgresInstance.USER;

    private final PostgresInstance cluster;

    private LocalPostgres(PostgresInstance cluster) {
        this.cluster = cluster;
    }

    static LocalPostgres start(Workspace workspace) {
        PostgresInstance cluster;
        try {
            cluster = PostgresInstance.start(workspace.directory("postgres"));
        } catch (IllegalStateException e) {
            throw new LaunchException(e.getMessage(), e);
        }
        LocalPostgres postgres = new LocalPostgres(cluster);
        try {
            postgres.createDatabase();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return postgres;
    }

    String jdbcUrl() {
        return cluster.jdbcUrl(DATABASE);
    }

    String password() {
        return cluster.password();
    }

    Path log() {
        return cluster.log();
    }

    Optional<ProcessHandle> postmaster() {
        return cluster.postmaster();
    }

    @Override
    public void close() {
        cluster.close();
    }

    private void createDatabase() {
        String admin = cluster.jdbcUrl("postgres");
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
}
