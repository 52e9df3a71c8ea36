package io.jobstream.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerProcess;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicProvisioner;

/**
 * Found by the chaos run: after a broker kill -9, ingest-service answered every submission with 500
 * ("Cannot attempt operation `abortTransaction` because the previous call to `commitTransaction` timed out
 * and must be retried") long after the broker was back, because the publisher kept its producers whose
 * commit had timed out. A submission during the outage fails; once the broker is back, submissions succeed.
 */
class JobPublisherBrokerRestartIT {

    private static final QueueTopics QUEUE = TopicCatalog.queue("broker-restart");
    private static final Duration RECOVERY = Duration.ofMinutes(3);
    /**
     * Longer than the producer's delivery timeout (20 s): the commit's retries are exhausted while the broker
     * is down, which is what left the producer neither committable nor abortable. A broker restart on a busy
     * machine takes this long (50 s in the chaos run).
     */
    private static final Duration OUTAGE = Duration.ofSeconds(35);

    private final AtomicInteger sequence = new AtomicInteger();

    @Test
    void submissionsSucceedAgainOnceAKilledBrokerIsBack() {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicCatalog.all(List.of(QUEUE)));
            }
            // One producer: the one whose commit times out is the one every later submission gets.
            try (JobPublisher publisher = new JobPublisher(broker.bootstrapServers(), "broker-restart-test", 1)) {
                assertThat(publisher.submit(QUEUE, job()).jobId()).isNotBlank();

                broker.kill();
                long killed = System.nanoTime();
                assertThatThrownBy(() -> publisher.inTransaction(batch -> batch.submit(QUEUE, job())))
                        .isInstanceOf(RuntimeException.class);
                assertThatThrownBy(() -> publisher.submit(QUEUE, job())).isInstanceOf(RuntimeException.class);
                // The outage's length is the fault itself, not a wait for something to happen.
                Await.until(OUTAGE.plusSeconds(10), "the outage outlasting the delivery timeout",
                        () -> System.nanoTime() - killed >= OUTAGE.toNanos());
                broker.restart();

                Await.until(RECOVERY, "a transaction accepted after the broker restart",
                        () -> answers(() -> publisher.inTransaction(batch -> batch.submit(QUEUE, job()))));
                Await.until(RECOVERY, "a submission accepted after the broker restart",
                        () -> answers(() -> publisher.submit(QUEUE, job())));
            }
        }
    }

    private JobSubmission<JobRequested> job() {
        String jobId = "restart-" + sequence.incrementAndGet();
        return JobSubmission.of(jobId, "noop", new JobRequested("noop", "{}", JobOptions.newBuilder().setJobId(jobId).build()));
    }

    /** Whether the call returns within 30 s: a publisher that lost its producers would wait forever. */
    private static boolean answers(Supplier<?> call) {
        try {
            CompletableFuture.supplyAsync(call).get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException refused) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
