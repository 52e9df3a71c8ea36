package io.jobstream.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a supervisor does for a crashed instance beside removing its static members ({@link StaticMembers}):
 * fences its Kafka Streams producers, so that the broker aborts the transactions the instance left open at once
 * instead of when they time out. Until then every read_committed reader of a partition such a transaction wrote
 * stops there: the surviving instance taking over the crashed one's tasks, the next step's worker, the status fold
 * on {@code jobs.events}.
 *
 * <p>A stream thread's transactional id is {@code <application id>-<process id>-<thread index>}; the process id is
 * the one Kafka Streams keeps in its state directory ({@code <data dir>/streams/<application id>/}), so the
 * instance's data directory tells which open transactions are its.
 */
public final class CrashedProducers {

    private static final Logger log = LoggerFactory.getLogger(CrashedProducers.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Where Kafka Streams keeps an application's process id, in that application's state directory. */
    private static final String PROCESS_FILE = "kafka-streams-process-metadata";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CrashedProducers() {
    }

    /**
     * Fences the open transactions of the Kafka Streams applications whose state lives in {@code dataDir}.
     *
     * @return the transactional ids fenced; empty when none was open, or the broker did not answer
     */
    public static List<String> fence(String bootstrapServers, Path dataDir) {
        List<String> prefixes = transactionalIdPrefixes(dataDir.resolve("streams"));
        if (prefixes.isEmpty()) {
            return List.of();
        }
        List<String> fenced = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            List<String> open = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> prefixes.stream().anyMatch(id::startsWith))
                    .toList();
            if (!open.isEmpty()) {
                admin.fenceProducers(open).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                fenced.addAll(open);
            }
        } catch (ExecutionException | TimeoutException e) {
            // The broker may be down itself (another fault): the transactions then end at their timeout as before.
            log.warn("open transactions of {} not fenced: {}", dataDir, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("transactions fenced for {}: {}", dataDir, fenced);
        return fenced;
    }

    /** {@code <application id>-<process id>-} for each application with a process id under {@code stateDir}. */
    private static List<String> transactionalIdPrefixes(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> applications = Files.list(stateDir)) {
            return applications
                    .flatMap(application -> processId(application.resolve(PROCESS_FILE))
                            .map(processId -> application.getFileName() + "-" + processId + "-")
                            .stream())
                    .toList();
        } catch (IOException e) {
            log.warn("cannot list {}: {}", stateDir, e.toString());
            return List.of();
        }
    }

    private static Optional<String> processId(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String id = JSON.readTree(file.toFile()).path("processId").asString();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (JacksonException e) {
            log.warn("unreadable {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
