package io.jobstream.ingest.support;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.meteredworker.MeteredWorker;
import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;

/**
 * An ingest-service and a {@link MeteredWorker} service on one broker, both running: the pair the
 * metrics, tracing and monitor tests drive through the public API.
 *
 * @param workerPort the worker's web port (its {@code /actuator/prometheus})
 */
public record IngestWithWorker(IngestInstance ingest, ConfigurableApplicationContext worker, int workerPort)
        implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    /**
     * @param name       prefixes both application ids ({@code name-ingest}, {@code name-worker})
     * @param ingestArgs the queue's declaration as ingest-service needs it
     * @param workerArgs the worker's settings: the queue's declaration and any other
     */
    public static IngestWithWorker start(String bootstrapServers, String name, Path ingestDir, Path workerDir,
                                         String[] ingestArgs, String... workerArgs) {
        IngestInstance ingest = IngestInstance.start(bootstrapServers, name + "-ingest", ingestDir, 0, ingestArgs);
        int workerPort = FreePorts.next();
        ConfigurableApplicationContext worker = MeteredWorker.start(bootstrapServers, name + "-worker", workerDir,
                workerPort, workerArgs);
        ManagedStreams streams = worker.getBean(ManagedStreams.class);
        Await.until(STARTUP, "both services to run",
                () -> ingest.isRunning() && streams.streams().state() == KafkaStreams.State.RUNNING);
        return new IngestWithWorker(ingest, worker, workerPort);
    }

    @Override
    public void close() {
        worker.close();
        ingest.close();
    }
}
