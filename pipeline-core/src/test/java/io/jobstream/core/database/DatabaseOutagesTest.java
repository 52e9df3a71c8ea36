package io.jobstream.core.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DatabaseOutagesTest {

    @Test
    void aDatabaseThatCannotBeReachedIsAnOutageWhateverWrapsIt() {
        assertThat(DatabaseOutages.isOutage(new RuntimeException("PreparedStatementCallback",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseOutages.isOutage(new RuntimeException(new SQLException("Connection refused", "08001")))).isTrue();
        assertThat(DatabaseOutages.isOutage(new SQLTransientConnectionException("Connection is not available"))).isTrue();
        assertThat(DatabaseOutages.isOutage(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void whatTheRecordCausedIsNoOutage() {
        assertThat(DatabaseOutages.isOutage(new RuntimeException(new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(DatabaseOutages.isOutage(new IllegalArgumentException("product p-1: title is required"))).isFalse();
        assertThat(DatabaseOutages.isOutage(new SQLException("no state"))).isFalse();
    }

    @Test
    void aCallIsTriedAgainUntilTheDatabaseAnswers() {
        AtomicInteger calls = new AtomicInteger();
        String answer = DatabaseOutages.waitOut("store product p-1", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new RuntimeException(new SQLException("Connection refused", "08001"));
            }
            return "stored";
        });
        assertThat(answer).isEqualTo("stored");
        assertThat(calls).hasValue(3);
    }

    @Test
    void anyOtherFailureIsThrownAtOnceAsItself() {
        AtomicInteger calls = new AtomicInteger();
        IllegalArgumentException invalid = new IllegalArgumentException("bad product");
        assertThatThrownBy(() -> DatabaseOutages.waitOut("store product p-1", () -> {
            calls.incrementAndGet();
            throw invalid;
        })).isSameAs(invalid);
        assertThat(calls).hasValue(1);
    }
}
