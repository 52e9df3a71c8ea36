package io.jobstream.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments that start a processor service in a test against the test's broker,
 * database and data directory, with settings that keep tests quick (no standbys, short commits).
 * Command-line arguments win over the service's own configuration file.
 */
public final class ServiceArguments {

    private ServiceArguments() {
    }

    public static String[] processor(int port, KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                     String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--jobstream.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--jobstream.kafka.data-dir=" + dataDir,
                "--jobstream.kafka.standby-replicas=0",
                "--jobstream.kafka.commit-interval=100ms",
                "--jobstream.kafka.close-timeout=10s"));
        arguments.addAll(List.of(extraArguments));
        return arguments.toArray(String[]::new);
    }
}
