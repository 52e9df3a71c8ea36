package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PostgreSQL and Redis stopped and started again, as an outage that ends: same port, PostgreSQL with its data. */
class RestartedServersTest {

    private Path dir;

    @BeforeEach
    void directory() throws Exception {
        dir = TempDirs.create("jobstream-restart-test-");
        // PostgreSQL runs as its own service user, which must be able to reach its directory below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @AfterEach
    void delete() {
        TempDirs.deleteQuietly(dir);
    }

    @Test
    void postgresStartsAgainOnItsPortWithItsData() throws Exception {
        try (PostgresInstance postgres = PostgresInstance.start(Files.createDirectories(dir.resolve("postgres")))) {
            execute(postgres, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");

            postgres.close();
            assertThatThrownBy(() -> execute(postgres, "SELECT 1")).isInstanceOf(SQLException.class);
            postgres.restart();

            assertThat(queryInt(postgres, "SELECT id FROM kept")).isEqualTo(42);
        }
    }

    @Test
    void redisStartsAgainOnItsPort() throws Exception {
        RedisInstance redis = RedisInstance.start(Files.createDirectories(dir.resolve("redis")));
        try {
            int port = URI.create(redis.uri()).getPort();
            redis.close();
            assertThat(RedisInstance.answersPing(port)).isFalse();

            redis.restart();

            assertThat(RedisInstance.answersPing(port)).isTrue();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + port);
        } finally {
            redis.close();
        }
    }

    private static void execute(PostgresInstance postgres, String sql) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int queryInt(PostgresInstance postgres, String sql) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection connect(PostgresInstance postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresInstance.USER, postgres.password());
    }
}
