package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtensionTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Test
    void computesVectorDistances() throws SQLException {
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT '[1,2,3]'::vector <=> '[1,2,4]'::vector")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getDouble(1)).isBetween(0.0085, 0.0086);
        }
    }

    @Test
    void givesEachTestClassItsOwnDatabase() throws SQLException {
        assertThat(DatabaseMarkers.markAndList(postgres, "postgres_extension_test")).containsExactly("postgres_extension_test");
    }

    /** Marks a test class's database with a table and lists every class's mark found in it. */
    static final class DatabaseMarkers {

        private DatabaseMarkers() {
        }

        static List<String> markAndList(PostgresExtension postgres, String mark) throws SQLException {
            try (Connection connection = postgres.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE marker_" + mark + " (id int)");
                List<String> marks = new ArrayList<>();
                try (ResultSet tables = statement.executeQuery(
                        "SELECT substr(tablename, 8) FROM pg_tables WHERE tablename LIKE 'marker\\_%' ORDER BY 1")) {
                    while (tables.next()) {
                        marks.add(tables.getString(1));
                    }
                }
                return marks;
            }
        }
    }
}
