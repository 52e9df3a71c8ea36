package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@link PostgresExtensionTest}: whichever class runs second must not see the other's table. */
class PostgresExtensionSecondClassTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Test
    void getsADatabaseOfItsOwn() throws SQLException {
        assertThat(postgres.jdbcUrl()).contains("/jobstream_");
        assertThat(PostgresExtensionTest.DatabaseMarkers.markAndList(postgres, "second_class"))
                .containsExactly("second_class");
    }
}
