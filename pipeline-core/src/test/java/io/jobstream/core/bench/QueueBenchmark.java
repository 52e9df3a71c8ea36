package io.jobstream.core.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.async.AsyncStepSettings;
import io.jobstream.core.job.JobIntakeTopology;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsConfigs;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.test.SingleNodeBrokerConfig;
import io.jobstream.test.WarmUp;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.topics.TopicProvisioner;

/**
 * jobstream's half of {@code scripts/bench-queue.sh}: no-op jobs through {@link JobPublisher} and a
 * {@link QueueWorker} on a real (in-JVM KRaft) broker, with the {@link JobIntakeTopology} that writes
 * single adds' QUEUED events (ingest-service runs it beside the job statuses) counted in; "completed" is
 * the COMPLETED event read by a read_committed consumer of {@code jobs.events}. Prints one {@code RESULT} line per workload, which
 * the script sets beside BullMQ's, and for each latency workload where the time went (submit → handler, handler → visible).
 * Run on demand, never by the tests.
 *
 * <p>Each worker first warms up in rounds of single adds until the JIT compilers are all but done ({@link WarmUp}).
 *
 * <p>Usage: {@code QueueBenchmark [jobs=30000] [latency-seconds=10] [warm-up-jobs=jobs (per round)]}
 */
public final class QueueBenchmark {

    private static final QueueTopics QUEUE = TopicCatalog.queue("bench");
    private static final int SINGLE_ADDERS = 64;
    private static final int BULK = 100;
    /** Transactional producers of the publisher: ingest-service's default pool size unless -Dbench.publishers says otherwise. */
    private static final int PUBLISHERS = Integer.getInteger("bench.publishers", 4);
    /** -Dbench.latency-only=true: after the warm-up, only the latency workloads. */
    private static final boolean LATENCY_ONLY = Boolean.getBoolean("bench.latency-only");
    /** Prefix of system properties passed to the worker's Kafka Streams config. */
    private static final String WORKER_SETTING = "bench.worker.";
    /** The worker's commit interval (a Streams transaction each): the default unless -Dbench.commit-interval-ms says otherwise. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(Long.getLong("bench.commit-interval-ms",
            StreamsProperties.DEFAULT_COMMIT_INTERVAL.toMillis()));
    /** How soon a caught-up worker commits: the default unless -Dbench.caught-up-commit-interval-ms says otherwise (0: off). */
    private static final Long CAUGHT_UP_COMMIT_INTERVAL = Long.getLong("bench.caught-up-commit-interval-ms");

    private final String bootstrapServers;
    private final Path work;
    private final Completions completions;
    /** When the handler ran each job (nanoTime). */
    private final Map<String, Long> handledAt = new ConcurrentHashMap<>();

    private QueueBenchmark(String bootstrapServers, Path work) {
        this.bootstrapServers = bootstrapServers;
        this.work = work;
        this.completions = new Completions(bootstrapServers);
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int latencySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmUpJobs = args.length > 2 ? Integer.parseInt(args[2]) : jobs;
        Path work = Files.createTempDirectory("jobstream-queue-bench-");
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.brokerProperties(SingleNodeBrokerConfig.properties());
        kafka.afterPropertiesSet();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.all(List.of(QUEUE)));
            QueueBenchmark bench = new QueueBenchmark(kafka.getBrokersAsString(), work);
            bench.run(jobs, latencySeconds, warmUpJobs, admin);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            kafka.destroy();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        System.exit(0);
    }

    private void run(int jobs, int latencySeconds, int warmUpJobs, Admin admin) throws Exception {
        try (JobPublisher publisher = new JobPublisher(bootstrapServers, "queue-bench", PUBLISHERS);
             ManagedStreams intake = startIntake()) {
            for (int concurrency : LATENCY_ONLY ? new int[] {32} : new int[] {8, 32}) {
                try (ManagedStreams worker = startWorker(concurrency)) {
                    WarmUp.untilCompiled(round -> "%.0f jobs/s".formatted(throughput("warm-up", publisher, warmUpJobs, true)));
                    if (LATENCY_ONLY) {
                        latencies(publisher, worker, intake, latencySeconds);
                        continue;
                    }
                    Map<String, Long> before = endOffsets(admin);
                    long cpuBefore = WarmUp.processCpuNanos();
                    Map<String, Long> threadsBefore = cpuByThread();
                    throughput("single c=" + concurrency, publisher, jobs, true);
                    long cpu = WarmUp.processCpuNanos() - cpuBefore;
                    Map<String, Long> after = endOffsets(admin);
                    printRecordsPerJob(before, after, jobs, cpu);
                    printCpuByThread(threadsBefore, cpuByThread(), jobs);
                    throughput("bulk c=" + concurrency, publisher, jobs, false);
                    if (concurrency == 32) {
                        latencies(publisher, worker, intake, latencySeconds);
                    }
                }
            }
        } finally {
            completions.close();
        }
    }

    /** Each latency workload, then what the worker's and the intake's commits cost and the worker thread's slowest phases. */
    private void latencies(JobPublisher publisher, ManagedStreams worker, ManagedStreams intake, int seconds) throws Exception {
        for (int rate : new int[] {200, 1_000, 2_000}) {
            Map<String, Double> costBefore = commitCost(worker, intake);
            latency(publisher, rate, seconds);
            printCommitCost(rate, costBefore, commitCost(worker, intake));
            printThreadMaxima(worker);
        }
    }

    /**
     * Every job of the last workload has completed: what their handlers recorded is no longer needed, and
     * kept for the whole run (600,000 jobs and more with the warm-up) it would be live data the GC copies.
     */
    private void forgetHandled() {
        handledAt.clear();
    }

    /** Single adds' QUEUED events, committed as often as ingest-service's intake commits them by default. */
    private ManagedStreams startIntake() {
        Topology topology = new JobIntakeTopology(List.of(QUEUE)).addTo(new Topology());
        return started(new ManagedStreams(topology, new StreamsProperties(bootstrapServers, "queue-bench-intake", "",
                work.resolve("intake"), 0, JobIntakeTopology.DEFAULT_COMMIT_INTERVAL, 1, Duration.ofSeconds(10)),
                TopicCatalog.all(List.of(QUEUE))), "intake");
    }

    private ManagedStreams startWorker(int concurrency) {
        Topology topology = QueueWorker.forQueue(QUEUE, AvroSerde.of(JobRequested.class), job -> {
                    handledAt.put(job.id(), System.nanoTime());
                    return "{}";
                })
                .concurrency(AsyncStepSettings.of(concurrency, Duration.ofSeconds(30)))
                .build()
                .addTo(new Topology());
        StreamsProperties settings = new StreamsProperties(bootstrapServers, "queue-bench-worker-" + concurrency, "",
                work.resolve("worker-" + concurrency), 0, COMMIT_INTERVAL, 1, Duration.ofSeconds(10));
        if (CAUGHT_UP_COMMIT_INTERVAL != null) {
            settings = settings.withCaughtUpCommitInterval(Duration.ofMillis(CAUGHT_UP_COMMIT_INTERVAL));
        }
        Properties config = StreamsConfigs.of(settings);
        // -Dbench.worker.<streams setting>=<value> tries a setting on the worker (poll.ms, say) without a rebuild.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(WORKER_SETTING))
                .forEach(name -> config.put(name.substring(WORKER_SETTING.length()), System.getProperty(name)));
        ManagedStreams worker = new ManagedStreams(topology, settings, config, TopicCatalog.all(List.of(QUEUE)));
        return started(worker, "worker");
    }

    private static ManagedStreams started(ManagedStreams streams, String name) {
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.streams().state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + name + " did not start");
            }
            sleep(50);
        }
        return streams;
    }

    /**
     * All jobs submitted at once, by 64 concurrent single adds or in bulks of 100; returns jobs/s to the last
     * COMPLETED.
     */
    private double throughput(String name, JobPublisher publisher, int jobs, boolean single) throws Exception {
        String prefix = name.replace(' ', '-').replace("=", "") + "-" + System.nanoTime() + "-";
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        forgetHandled();
        long start = System.nanoTime();
        ExecutorService adders = Executors.newFixedThreadPool(single ? SINGLE_ADDERS : 4);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < (single ? SINGLE_ADDERS : 4); t++) {
            running.add(adders.submit(() -> {
                while (true) {
                    int first = next.getAndAdd(single ? 1 : BULK);
                    if (first >= jobs) {
                        return null;
                    }
                    List<JobSubmission<JobRequested>> batch = new ArrayList<>();
                    for (int i = first; i < Math.min(jobs, first + (single ? 1 : BULK)); i++) {
                        batch.add(job(prefix + i));
                    }
                    long now = System.nanoTime();
                    batch.forEach(job -> submitted.put(job.jobId(), now));
                    if (single) {
                        publisher.submit(QUEUE, batch.getFirst());
                    } else {
                        publisher.submitAll(QUEUE, batch);
                    }
                }
            }));
        }
        for (Future<?> adder : running) {
            adder.get();
        }
        adders.shutdown();
        long added = System.nanoTime();
        long[] latencies = completions.await(submitted, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!name.equals("warm-up")) {
            System.out.printf("RESULT jobstream %s jobs=%d jobs_per_s=%.0f add_per_s=%.0f p50_ms=%d p99_ms=%d max_ms=%d%n",
                    name.replace(' ', '_'), jobs, jobs / seconds, jobs / ((added - start) / 1e9),
                    percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100));
        }
        return jobs / seconds;
    }

    /** Jobs added at a steady rate for a while: submit → completed latency, and whether a backlog builds. */
    private void latency(JobPublisher publisher, int rate, int seconds) throws Exception {
        String prefix = "rate-" + rate + "-" + System.nanoTime() + "-";
        int jobs = rate * seconds;
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        forgetHandled();
        List<Long> addMillis = Collections.synchronizedList(new ArrayList<>());
        // Enough adders that a slow add (one transaction each) does not hold back the schedule.
        ExecutorService adders = Executors.newFixedThreadPool(32);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String jobId = prefix + i;
            running.add(adders.submit(() -> {
                long sent = System.nanoTime();
                submitted.put(jobId, sent);
                publisher.submit(QUEUE, job(jobId));
                addMillis.add((System.nanoTime() - sent) / 1_000_000);
                return null;
            }));
        }
        for (Future<?> add : running) {
            add.get();
        }
        adders.shutdown();
        double addSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> visible = new HashMap<>();
        long[] latencies = completions.await(submitted, Duration.ofMinutes(5), visible);
        double drainSeconds = (System.nanoTime() - start) / 1e9 - addSeconds;
        long[] adds = addMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("RESULT jobstream latency_%d jobs=%d achieved_per_s=%.0f p50_ms=%d p99_ms=%d max_ms=%d drain_after_last_add_s=%.2f add_p50_ms=%d add_p99_ms=%d%n",
                rate, jobs, jobs / addSeconds, percentile(latencies, 50), percentile(latencies, 99),
                percentile(latencies, 100), drainSeconds, percentile(adds, 50), percentile(adds, 99));
        // Where the time goes: reaching the handler (add, fetch, the worker's poll) and then becoming visible
        // (collecting the result, the worker's transaction commit, the reader's fetch).
        long[] toHandler = between(submitted, handledAt);
        long[] toVisible = between(handledAt, visible);
        System.out.printf("RESULT jobstream latency_%d_split to_handler_p50_ms=%d to_handler_p99_ms=%d handler_to_visible_p50_ms=%d handler_to_visible_p99_ms=%d%n",
                rate, percentile(toHandler, 50), percentile(toHandler, 99), percentile(toVisible, 50), percentile(toVisible, 99));
    }

    /** Totals whose difference over a workload, divided by the commits, is what one commit cost the stream thread. */
    private static final List<String> COMMIT_METRICS = List.of("commit-total", "flush-time-ns-total",
            "txn-send-offsets-time-ns-total", "txn-commit-time-ns-total", "txn-begin-time-ns-total");

    private static Map<String, Double> commitCost(ManagedStreams worker, ManagedStreams intake) {
        Map<String, Double> totals = new TreeMap<>();
        for (var entry : Map.of("worker", worker, "intake", intake).entrySet()) {
            entry.getValue().streams().metrics().forEach((name, metric) -> {
                if (COMMIT_METRICS.contains(name.name()) && (name.group().equals("stream-thread-metrics") || name.group().equals("producer-metrics"))) {
                    totals.merge(entry.getKey() + "." + name.name(), ((Number) metric.metricValue()).doubleValue(), Double::sum);
                }
            });
        }
        return totals;
    }

    /** The worker thread's slowest poll, process, punctuate and commit (Kafka Streams' windowed maxima, ms). */
    private static void printThreadMaxima(ManagedStreams worker) {
        StringBuilder line = new StringBuilder("MAXIMA worker");
        worker.streams().metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-latency-max")) {
                line.append(' ').append(name.name()).append('=').append(metric.metricValue());
            }
        });
        System.out.println(line);
    }

    private static void printCommitCost(int rate, Map<String, Double> before, Map<String, Double> after) {
        for (String app : List.of("worker", "intake")) {
            double commits = after.get(app + ".commit-total") - before.get(app + ".commit-total");
            StringBuilder line = new StringBuilder("COMMITS " + app + " rate=" + rate + " commits=" + (long) commits);
            for (String metric : COMMIT_METRICS.subList(1, COMMIT_METRICS.size())) {
                double nanos = after.getOrDefault(app + "." + metric, 0.0) - before.getOrDefault(app + "." + metric, 0.0);
                line.append(' ').append(metric.replace("-ns-total", "")).append("_ms_per_commit=")
                        .append(String.format("%.2f", nanos / 1e6 / Math.max(1, commits)));
            }
            System.out.println(line);
        }
    }

    private static JobSubmission<JobRequested> job(String jobId) {
        JobOptions options = JobOptions.newBuilder().setJobId(jobId).build();
        return JobSubmission.of(jobId, "noop", new JobRequested("noop", "{}", options)).withData("{}");
    }

    private void printRecordsPerJob(Map<String, Long> before, Map<String, Long> after, int jobs, long cpuNanos) {
        Map<String, Double> perTopic = new TreeMap<>();
        after.forEach((topic, end) -> {
            long written = end - before.getOrDefault(topic, 0L);
            if (written > 0) {
                perTopic.put(topic, written / (double) jobs);
            }
        });
        double total = perTopic.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf("RESULT jobstream records_per_job total=%.2f %s%n", total, perTopic.entrySet().stream()
                .map(entry -> "%s=%.2f".formatted(entry.getKey(), entry.getValue())).collect(Collectors.joining(" ")));
        System.out.printf("RESULT jobstream cpu_ms_per_job process=%.3f (broker, worker, adders and reader share this JVM)%n",
                cpuNanos / 1e6 / jobs);
    }

    /** End offsets of every topic (commit markers included: they are records the broker writes). */
    private static Map<String, Long> endOffsets(Admin admin) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()
                .forEach(topic -> topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<String, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.merge(partition.topic(), info.offset(), Long::sum));
        return ends;
    }

    /**
     * CPU time of each live thread, by name with its numbers and ids left out (threads of one kind summed),
     * and the JVM's own work that no thread listed shows: the JIT compilers' time and GC pauses.
     */
    private static Map<String, Long> cpuByThread() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new HashMap<>();
        byKind.put("(jit-compilation)", WarmUp.jitNanos());
        byKind.put("(gc-pauses)", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum() * 1_000_000);
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                String kind = info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("[0-9]+", "N");
                byKind.merge(kind, Math.max(0, nanos), Long::sum);
            }
        }
        return byKind;
    }

    private static void printCpuByThread(Map<String, Long> before, Map<String, Long> after, int jobs) {
        System.out.println("CPU-ms per job by thread kind: " + after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e6 / jobs))
                .filter(e -> e.getValue() >= 0.002)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> "%s=%.3f".formatted(e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
    }


    /** Milliseconds (sorted) from each job's time in {@code from} to its time in {@code to}, for jobs in both. */
    private static long[] between(Map<String, Long> from, Map<String, Long> to) {
        return from.entrySet().stream().filter(e -> to.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, (to.get(e.getKey()) - e.getValue()) / 1_000_000)).sorted().toArray();
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * COMPLETED events from jobs.events as committed, stamped when read by a thread that polls all
     * along, so a job's latency is not stretched by when the benchmark gets round to looking.
     */
    private static final class Completions implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final Deserializer<JobEvent> events = AvroSerde.of(JobEvent.class).deserializer();
        private final Map<String, Long> completedAt = new ConcurrentHashMap<>();
        private final Thread reader;
        private volatile boolean running = true;

        Completions(String bootstrapServers) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.JOB_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolve it now, or events written before the first poll would be skipped.
            partitions.forEach(consumer::position);
            reader = Thread.ofPlatform().name("bench-completions").daemon().start(this::read);
        }

        private void read() {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(10))) {
                    long now = System.nanoTime();
                    JobEvent event = events.deserialize(record.topic(), record.value());
                    if (event.getState() == JobState.COMPLETED) {
                        completedAt.put(event.getJobId(), now);
                    }
                }
            }
        }

        /** Latencies (ms, sorted) of every job of {@code submitted}, once each has completed. */
        long[] await(Map<String, Long> submitted, Duration timeout) {
            return await(submitted, timeout, new HashMap<>());
        }

        /** As {@link #await(Map, Duration)}, and when each job's COMPLETED became visible (nanoTime) into {@code visible}. */
        long[] await(Map<String, Long> submitted, Duration timeout, Map<String, Long> visible) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Long> latencies = new ArrayList<>(submitted.size());
            Map<String, Long> waiting = new HashMap<>(submitted);
            while (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(waiting.size() + " jobs not completed in " + timeout);
                }
                // Only what completed since the last look: a pass over every waiting job costs the benchmark
                // more CPU than the worker it measures. A completion nobody waits for goes too: workloads run one
                // at a time, so it is an earlier one's (the concurrency-32 worker, a new application, first works
                // through every job the concurrency-8 one was given), and kept it would be passed over every 5 ms.
                Iterator<Map.Entry<String, Long>> completed = completedAt.entrySet().iterator();
                while (completed.hasNext()) {
                    Map.Entry<String, Long> done = completed.next();
                    completed.remove();
                    Long sent = waiting.remove(done.getKey());
                    if (sent != null) {
                        visible.put(done.getKey(), done.getValue());
                        latencies.add(Math.max(0, (done.getValue() - sent) / 1_000_000));
                    }
                }
                sleep(5);
            }
            return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            reader.join();
            consumer.close();
        }
    }
}
