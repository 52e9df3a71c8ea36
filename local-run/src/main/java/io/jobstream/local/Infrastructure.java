package io.jobstream.local;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.jobstream.test.KafkaBrokerProcess;
import io.jobstream.test.RedisInstance;

/**
 * Kafka, PostgreSQL with pgvector and (when installed) Redis, each a process of its own on a free
 * port, started in parallel. Each is handed to the {@link Teardown} as soon as it runs, so a failure
 * of one still stops the others.
 *
 * @param redis empty when {@code redis-server} is not installed: the services then keep rate-limit
 *              buckets per instance
 */
record Infrastructure(KafkaBrokerProcess kafka, LocalPostgres postgres, Optional<RedisInstance> redis) {

    static Infrastructure start(Workspace workspace, Teardown teardown, Console console) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<KafkaBrokerProcess> kafka = executor.submit(() -> timed(console, "kafka (KRaft)", () -> {
                KafkaBrokerProcess broker = KafkaBrokerProcess.start();
                teardown.add("kafka", broker);
                return broker;
            }, broker -> broker.bootstrapServers()));
            Future<LocalPostgres> postgres = executor.submit(() -> timed(console, "postgresql + pgvector", () -> {
                LocalPostgres server = LocalPostgres.start(workspace);
                teardown.add("postgresql (pid " + server.postmaster().map(ProcessHandle::pid).orElse(-1L) + ")", server);
                return server;
            }, server -> server.jdbcUrl() + "  pid " + server.postmaster().map(ProcessHandle::pid).orElse(-1L)
                    + "  log " + server.log()));
            Future<Optional<RedisInstance>> redis = executor.submit(() -> startRedis(workspace, teardown, console));
            return new Infrastructure(Futures.await(kafka), Futures.await(postgres), Futures.await(redis));
        }
    }

    private static Optional<RedisInstance> startRedis(Workspace workspace, Teardown teardown, Console console) {
        long start = System.nanoTime();
        Optional<RedisInstance> redis = LocalRedis.startIfInstalled(workspace);
        redis.ifPresentOrElse(server -> {
            teardown.add("redis (pid " + server.pid() + ")", server);
            console.ready("redis", Duration.ofNanos(System.nanoTime() - start), server.uri() + "  pid " + server.pid());
        }, () -> console.warn("redis-server is not installed: rate limits are per service instance "
                + "(scripts/setup-dev.sh installs it)"));
        return redis;
    }

    private static <T> T timed(Console console, String name, Callable<T> start, Function<T, String> detail)
            throws Exception {
        long begin = System.nanoTime();
        T started = start.call();
        console.ready(name, Duration.ofNanos(System.nanoTime() - begin), detail.apply(started));
        return started;
    }
}
