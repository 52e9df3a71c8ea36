package io.jobstream.meteredworker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

import io.jobstream.core.queue.JobWorker;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.retry.TransientJobException;
import tools.jackson.databind.JsonNode;

/**
 * A processor service with a web port, as the real ones are, so its {@code /actuator/prometheus} can
 * be scraped: jobs sleep {@code sleepMs}, fail for good with {@code fail}, or fail transiently while
 * their attempt is at most {@code failTimes}; a job with {@code hold} reports {@code progress} at
 * {@code step} and runs until {@link #RELEASE} opens.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
/* Outside io.jobstream.ingest, so ingest-service's component scan in the same test JVM does not pick it up. */
public class MeteredWorker {

    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    /**
     * Starts the worker service on {@code port}, its Prometheus endpoint exposed.
     *
     * @param extraArgs the queue's declaration ({@code --jobstream.queues.<queue>...}) and any other setting
     */
    public static ConfigurableApplicationContext start(String bootstrapServers, String applicationId, Path dataDir, int port,
                                                       String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                // The test classpath has a JDBC driver; this worker has no database.
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "--management.endpoints.web.exposure.include=prometheus",
                "--jobstream.kafka.bootstrap-servers=" + bootstrapServers,
                "--jobstream.kafka.application-id=" + applicationId,
                "--jobstream.kafka.application-server=localhost:" + port,
                "--jobstream.kafka.data-dir=" + dataDir,
                "--jobstream.kafka.standby-replicas=0",
                "--jobstream.kafka.commit-interval=100ms"));
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(MeteredWorker.class)
                .properties("spring.config.name=metered-worker")
                .run(args.toArray(String[]::new));
    }

    /** @param queue the queue this worker takes, so each test has a queue (and metrics) of its own */
    @Bean
    JobWorker<JsonNode> metered(@Value("${metered-worker.queue:metered}") String queue) {
        return JobWorker.json(queue, job -> {
            JsonNode data = job.data();
            if (data.path("fail").asBoolean(false)) {
                throw new PermanentJobException("bad input " + job.id());
            }
            if (data.path("failTimes").asInt(0) >= job.attempt()) {
                throw new TransientJobException("busy (attempt " + job.attempt() + ")");
            }
            if (data.path("hold").asBoolean(false)) {
                job.progress(data.path("progress").asInt(0), data.path("step").asString("holding"));
                RELEASE.await();
            }
            Thread.sleep(data.path("sleepMs").asLong(0));
            return Map.of("attempt", job.attempt());
        });
    }
}
