package io.jobstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MigrationRetryAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MigrationRetryAutoConfiguration.class));

    @Test
    void migrationsWaitForADatabaseThatIsNotUpYet() {
        context.run(running -> {
            FluentConfiguration flyway = Flyway.configure();
            running.getBean(FlywayConfigurationCustomizer.class).customize(flyway);
            assertThat(flyway.getConnectRetries()).isEqualTo(MigrationRetryAutoConfiguration.CONNECT_RETRIES);
            assertThat(flyway.getConnectRetriesInterval())
                    .isEqualTo(MigrationRetryAutoConfiguration.CONNECT_RETRIES_INTERVAL_SECONDS);
        });
    }

    @Test
    void retriesSetInConfigurationWin() {
        context.run(running -> {
            FluentConfiguration flyway = Flyway.configure().connectRetries(3);
            running.getBean(FlywayConfigurationCustomizer.class).customize(flyway);
            assertThat(flyway.getConnectRetries()).isEqualTo(3);
        });
    }
}
