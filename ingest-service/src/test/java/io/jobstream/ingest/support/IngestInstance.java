package io.jobstream.ingest.support;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.ingest.IngestApplication;
import io.jobstream.test.FreePorts;
import io.jobstream.test.PostgresExtension;

/** One ingest-service instance in this JVM, on its own port and data directory. */
public final class IngestInstance implements AutoCloseable {

    private final int port;
    private final ConfigurableApplicationContext context;

    private IngestInstance(int port, ConfigurableApplicationContext context) {
        this.port = port;
        this.context = context;
    }

    /** @param extraArgs further {@code --property=value} arguments, e.g. a webhook secret */
    public static IngestInstance start(String bootstrapServers, String applicationId, Path dataDir, int standbyReplicas,
                                       String... extraArgs) {
        int port = FreePorts.next();
        // Command-line arguments win over application.yml, so each instance gets its own settings.
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--jobstream.kafka.bootstrap-servers=" + bootstrapServers,
                "--jobstream.kafka.application-id=" + applicationId,
                "--jobstream.kafka.data-dir=" + dataDir,
                "--jobstream.kafka.standby-replicas=" + standbyReplicas,
                "--jobstream.kafka.commit-interval=100ms",
                "--jobstream.kafka.close-timeout=10s",
                // Seed 000's switch for the hourly embed-pending-posts scheduler: its job would land in the
                // embedding queue's counts of whichever test spans the top of an hour. Its own test turns it on.
                "--ENABLE_SCHEDULER=false"));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(IngestApplication.class)
                .run(args.toArray(String[]::new));
        return new IngestInstance(port, context);
    }

    /** An instance whose routes reach the test's database (reminders, products, documents, statistics). */
    public static IngestInstance start(String bootstrapServers, String applicationId, Path dataDir,
                                       PostgresExtension postgres, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password()));
        args.addAll(List.of(extraArgs));
        return start(bootstrapServers, applicationId, dataDir, 0, args.toArray(String[]::new));
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    public HostInfo hostInfo() {
        return new HostInfo("localhost", port);
    }

    public KafkaStreams streams() {
        return context.getBean(ManagedStreams.class).streams();
    }

    /** A bean of the running service, e.g. its request mappings. */
    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    public boolean isRunning() {
        return streams().state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        context.close();
    }
}
