package io.jobstream.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh PostgreSQL database with pgvector per test class:
 * {@code @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();}
 * The databases live in one throwaway cluster per JVM, or on the server named by
 * {@code DATABASE_URL} ({@code jdbc:postgresql://host:port/db?user=..&password=..}).
 */
public final class PostgresExtension implements BeforeAllCallback {

    private static final String DATABASE_URL_ENV = "DATABASE_URL";
    private static final Logger log = LoggerFactory.getLogger(PostgresExtension.class);

    private PostgresServer server;
    private String database;

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws SQLException {
        // @Nested classes share the enclosing class's database.
        if (database != null) {
            return;
        }
        String external = System.getenv(DATABASE_URL_ENV);
        server = external != null && !external.isBlank() ? PostgresServer.parse(external) : PostgresCluster.shared();
        String name = "jobstream_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection admin = dataSource(server, server.database()).getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        try (Connection connection = dataSource(server, name).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        } catch (SQLException e) {
            throw new SQLException("cannot create the pgvector extension in " + name
                    + " (for the local cluster, run scripts/setup-dev.sh)", e);
        }
        database = name;
        log.info("postgres database {} ready for {}", name, context.getDisplayName());
    }

    public String jdbcUrl() {
        return server().jdbcUrl(database);
    }

    public String username() {
        return server().username();
    }

    public String password() {
        return server().password();
    }

    /** A non-pooling data source for the test class's database. */
    public DataSource dataSource() {
        return dataSource(server(), database);
    }

    private static PGSimpleDataSource dataSource(PostgresServer server, String db) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(server.jdbcUrl(db));
        dataSource.setUser(server.username());
        dataSource.setPassword(server.password());
        return dataSource;
    }

    private synchronized PostgresServer server() {
        if (database == null) {
            throw new IllegalStateException(
                    "postgres is not ready: register the extension with @RegisterExtension on a static field");
        }
        return server;
    }
}
