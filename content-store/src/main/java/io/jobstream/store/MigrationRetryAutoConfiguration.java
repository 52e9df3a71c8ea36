package io.jobstream.store;

import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * A processor that starts while PostgreSQL is down (restarting, failing over) waits for it before migrating
 * the content database, instead of exiting at once (the chaos run saw processors restarted during a database
 * outage exit this way). Applies unless {@code spring.flyway.connect-retries} is set.
 */
@AutoConfiguration
@ConditionalOnClass(Flyway.class)
public class MigrationRetryAutoConfiguration {

    /** About four minutes in all: Flyway backs off from 1 s, doubling up to the interval. */
    static final int CONNECT_RETRIES = 50;
    static final int CONNECT_RETRIES_INTERVAL_SECONDS = 5;

    @Bean
    FlywayConfigurationCustomizer waitForTheDatabase() {
        return configuration -> {
            if (configuration.getConnectRetries() == 0) {
                configuration.connectRetries(CONNECT_RETRIES).connectRetriesInterval(CONNECT_RETRIES_INTERVAL_SECONDS);
            }
        };
    }
}
