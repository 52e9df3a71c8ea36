package io.jobstream.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.test.Await;
import io.jobstream.test.BootJar;
import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerProcess;
import io.jobstream.test.PostgresInstance;
import io.jobstream.test.RedisInstance;
import io.jobstream.test.ServiceProcess;
import io.jobstream.test.openai.FakeOpenAiServer;

/**
 * The whole stack as processes: a Kafka broker, PostgreSQL, Redis, the fake OpenAI server, the reminder
 * receiver, and two instances of every service, each with a stable instance id (static group membership).
 */
final class Stack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Stack.class);
    private static final String DATABASE = "jobstream";
    private static final int INSTANCES_PER_SERVICE = 2;
    private static final int EMBEDDING_DIMENSIONS = 384;
    private static final Duration STARTUP = Duration.ofMinutes(10);

    /**
     * Queues whose jobs cross the outages (PostgreSQL, Redis, the model provider, the broker): fifteen
     * attempts, exponential from 2 s and at most 30 s apart, retry for about four minutes. The infrastructure
     * faults can come back to back (30 s of 429/500, a broker restart, 30 s without PostgreSQL: about two
     * minutes in all, and a 429's Retry-After of 5 s spends attempts faster than the back-off), so an outage
     * that ends is never a dead letter. Ingest-service gets the same declaration: the submitter stamps a job's
     * attempts.
     */
    private static final List<String> RETRIED_QUEUES = List.of("embedding", "agent.chat", "document.extraction",
            "document.classification", "document.ner", "document.ingestion", "reminder-dispatch", "product-enrichment");
    private static final Map<String, String> RETRY = Map.of("attempts", "15", "base-delay", "2s", "max-delay", "30s");

    final Path dir;
    final KafkaBrokerProcess broker;
    final PostgresInstance postgres;
    final RedisInstance redis;
    final FakeOpenAiServer openAi;
    final ReminderReceiver receiver;
    final List<Instance> instances = new ArrayList<>();
    private final List<String> selfExits = new CopyOnWriteArrayList<>();
    /** Set first by {@link #close()}: instances that exit from then on are not restarted. */
    private volatile boolean closing;

    private Stack(Path dir, KafkaBrokerProcess broker, PostgresInstance postgres, RedisInstance redis,
                  FakeOpenAiServer openAi, ReminderReceiver receiver) {
        this.dir = dir;
        this.broker = broker;
        this.postgres = postgres;
        this.redis = redis;
        this.openAi = openAi;
        this.receiver = receiver;
    }

    static Stack start(Path dir, Path repository, Http http) {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start();
        PostgresInstance postgres = PostgresInstance.start(directory(dir.resolve("postgres")));
        createDatabase(postgres);
        RedisInstance redis = RedisInstance.start(directory(dir.resolve("redis")));
        Stack stack = new Stack(dir, broker, postgres, redis, new FakeOpenAiServer(EMBEDDING_DIMENSIONS, true),
                new ReminderReceiver(dir));
        log.info("infrastructure up: kafka {}, postgresql {}, {}, openai {}, receiver {}", broker.bootstrapServers(),
                postgres.jdbcUrl(DATABASE), redis.uri(), stack.openAi.baseUrl(), stack.receiver.url());
        try {
            // Every training first: one beside starting instances would measure the machine, not the start.
            Map<ServiceKind, BootJar> jars = new EnumMap<>(ServiceKind.class);
            for (ServiceKind kind : ServiceKind.values()) {
                jars.put(kind, stack.prepare(kind, repository));
            }
            for (ServiceKind kind : ServiceKind.values()) {
                for (int n = 1; n <= INSTANCES_PER_SERVICE; n++) {
                    String name = kind.module + "-" + n;
                    int port = FreePorts.next();
                    stack.instances.add(Instance.start(name, kind, port, jars.get(kind), dir.resolve(name),
                            stack.arguments(name, port), http, broker.bootstrapServers()));
                }
            }
            for (Instance instance : stack.instances) {
                Await.until(STARTUP, instance.name() + " running\n" + instance.logTail(), () -> {
                    stack.restartExited();
                    return instance.running();
                });
                log.info("{} running", instance.name());
            }
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /**
     * Starts again every instance that exited without a fault killing it, as the stack's supervisor would;
     * each exit is a finding, kept in {@link #selfExits()}.
     */
    void restartExited() {
        for (Instance instance : instances) {
            if (closing) {
                return;
            }
            if (instance.restartIfExited()) {
                selfExits.add(instance.name() + " at " + Instant.now());
                log.error("{} exited by itself; restarted. Its log: {}", instance.name(), instance.log());
            }
        }
    }

    List<String> selfExits() {
        return List.copyOf(selfExits);
    }

    List<Instance> of(ServiceKind kind) {
        return instances.stream().filter(instance -> instance.kind() == kind).toList();
    }

    /** A count from the database, or -1 while it does not answer. */
    long count(String sql) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(DATABASE), PostgresInstance.USER,
                postgres.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * The kind's jar, unpacked, with an AOT cache made by a training start against this stack's infrastructure
     * (once per build): a killed instance's restart is part of what the run measures.
     */
    private BootJar prepare(ServiceKind kind, Path repository) {
        BootJar jar = BootJar.unpack(kind.jar(repository));
        String name = "training-" + kind.module;
        if (!ServiceProcess.train(directory(dir.resolve(name)), jar, arguments(name, FreePorts.next()))) {
            log.warn("{} starts without an AOT cache; see {}", kind.module, dir.resolve(name).resolve("training.log"));
        }
        return jar;
    }

    private List<String> arguments(String name, int port) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--jobstream.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--jobstream.kafka.data-dir=" + Instance.dataDir(dir.resolve(name)),
                "--jobstream.kafka.instance-id=" + name,
                "--spring.datasource.url=" + postgres.jdbcUrl(DATABASE),
                "--spring.datasource.username=" + PostgresInstance.USER,
                "--spring.datasource.password=" + postgres.password(),
                "--jobstream.rate-limits.redis-url=" + redis.uri(),
                // Buckets that never run dry, so every chat and embedding job goes through Redis.
                "--jobstream.rate-limits.buckets.agent-chat.capacity=100000",
                "--jobstream.rate-limits.buckets.agent-chat.period=1s",
                "--jobstream.rate-limits.buckets.embedding-jobs.capacity=100000",
                "--jobstream.rate-limits.buckets.embedding-jobs.period=1s",
                "--jobstream.embedding.openai.api-key=chaos",
                "--jobstream.embedding.openai.base-url=" + openAi.baseUrl(),
                "--jobstream.embedding.openai.dimensions=" + EMBEDDING_DIMENSIONS,
                "--jobstream.chat.openai.api-key=chaos",
                "--jobstream.chat.openai.base-url=" + openAi.baseUrl(),
                "--jobstream.reminders.channels.webhook.url=" + receiver.url()));
        for (String queue : RETRIED_QUEUES) {
            RETRY.forEach((key, value) -> args.add("--jobstream.queues[" + queue + "].retry." + key + "=" + value));
        }
        return args;
    }

    private static void createDatabase(PostgresInstance postgres) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresInstance.USER,
                postgres.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    private static Path directory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        instances.forEach(Instance::stop);
        openAi.close();
        receiver.close();
        redis.close();
        postgres.close();
        broker.close();
    }
}
