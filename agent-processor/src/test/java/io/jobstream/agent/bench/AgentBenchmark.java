package io.jobstream.agent.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.jobstream.agent.AgentProcessorApplication;
import io.jobstream.avro.AvroSerde;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.metrics.JobMetrics;
import io.jobstream.events.ChatCompleted;
import io.jobstream.events.ChatRequested;
import io.jobstream.test.FreePorts;
import io.jobstream.test.SingleNodeBrokerConfig;
import io.jobstream.test.PostgresInstance;
import io.jobstream.test.WarmUp;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.topics.TopicCatalog;

/**
 * On demand (scripts/bench-agent.sh), not a test: one agent-processor instance, a fake LLM answering
 * every chat after a fixed latency, N chat jobs on N sessions submitted at once; measures jobs/s from
 * the first submission to the last answer on agent.chat.responses, and submit-to-answer latency.
 * The ceiling is concurrency / latency (64 / 0.5 s = 128 jobs/s); the target is 90 % of it. It first
 * warms up in rounds of N jobs until the JIT compilers are all but done ({@link WarmUp}).
 */
public final class AgentBenchmark {

    private AgentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 500);

        Path work = Files.createTempDirectory("jobstream-agent-bench-");
        // PostgreSQL runs as its own service user, which must be able to reach its directory below this one.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(work.resolve("postgres"));
        // The in-JVM KRaft broker the tests use: it starts in seconds, also on a busy machine.
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.brokerProperties(SingleNodeBrokerConfig.properties());
        kafka.afterPropertiesSet();
        try (PostgresInstance postgres = PostgresInstance.start(work.resolve("postgres"));
             FakeOpenAiServer llm = new FakeOpenAiServer(8, true)) {
            llm.chatLatency(latency);
            // Kept, the requests of every round (8,000 × up to 20) would fill the heap the agent shares.
            llm.recordRequests(false);
            ConfigurableApplicationContext agent = new SpringApplicationBuilder(AgentProcessorApplication.class).run(
                    "--server.port=" + FreePorts.next(),
                    "--spring.main.banner-mode=off",
                    "--spring.datasource.url=" + postgres.jdbcUrl("postgres"),
                    "--spring.datasource.username=" + PostgresInstance.USER,
                    "--spring.datasource.password=" + postgres.password(),
                    "--jobstream.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                    "--jobstream.kafka.data-dir=" + work.resolve("streams"),
                    "--jobstream.kafka.standby-replicas=0",
                    "--jobstream.queues.[agent.chat].concurrency=" + concurrency,
                    "--jobstream.chat.openai.api-key=bench",
                    "--jobstream.chat.openai.base-url=" + llm.baseUrl(),
                    "--logging.level.io.jobstream=WARN");
            try (JobPublisher publisher = new JobPublisher(kafka.getBrokersAsString(), "agent-bench", 4);
                 Answers answers = new Answers(kafka.getBrokersAsString())) {
                System.out.printf("warm-up: rounds of %d jobs until the JIT compilers are quiet%n", jobs);
                WarmUp.untilCompiled(round -> "%.0f jobs/s".formatted(run(publisher, answers, "warmup" + round, jobs).jobsPerSecond()));
                System.out.printf("measuring: %d jobs, concurrency %d, LLM latency %d ms, %d partitions%n",
                        jobs, concurrency, latency.toMillis(), TopicCatalog.AGENT_CHAT.partitions());
                MeterRegistry meters = agent.getBean(MeterRegistry.class);
                Timer processing = meters.get(JobMetrics.PROCESSING).tag("queue", TopicCatalog.AGENT_CHAT.queue()).timer();
                long attemptsBefore = processing.count();
                double secondsBefore = processing.totalTime(TimeUnit.SECONDS);
                SlotSampler slots = new SlotSampler(meters.get(JobMetrics.IN_FLIGHT).gauge());
                Map<String, Long> cpuBefore = threadCpu();
                long jitBefore = WarmUp.jitNanos();
                long processBefore = WarmUp.processCpuNanos();
                long wallBefore = System.nanoTime();
                Result result = run(publisher, answers, "bench", jobs);
                slots.stop();
                long wall = System.nanoTime() - wallBefore;
                Map<String, Long> cpuAfter = threadCpu();
                long jit = WarmUp.jitNanos() - jitBefore;
                long process = WarmUp.processCpuNanos() - processBefore;
                double ceiling = concurrency * 1000.0 / latency.toMillis();
                System.out.printf("jobs/s (one instance): %.1f  (ceiling %.0f, ratio %.2f, target >= %.0f)%n",
                        result.jobsPerSecond(), ceiling, result.jobsPerSecond() / ceiling, 0.9 * ceiling);
                System.out.printf("submit-to-answer: p50 %d ms, p99 %d ms, max %d ms%n",
                        result.percentile(50), result.percentile(99), result.percentile(100));
                System.out.printf("most LLM calls in flight at once: %d%n", llm.maxChatsInFlight());
                // Where the ceiling goes: a slot is held for one attempt's processing time (LLM latency and the
                // handler's own work), and a slot left empty is a job not started yet.
                System.out.printf("worker slots in use: mean %.0f of %d; one attempt's processing time: mean %.0f ms%n",
                        slots.mean(), concurrency, 1000 * (processing.totalTime(TimeUnit.SECONDS) - secondsBefore)
                                / Math.max(1, processing.count() - attemptsBefore));
                System.out.printf("worker slots in use every 0.5 s: %s%n", slots.timeline());
                // The run's two ends, where slots fill after the first submission and empty after the last start.
                System.out.printf("worker slots in use every 50 ms, first and last 0.5 s: %s ... %s%n",
                        slots.first(10), slots.last(10));
                System.out.printf("CPU of this JVM (the agent, the broker and the fake LLM share it): %.1f %% of one core; its threads:%n",
                        100.0 * process / wall);
                long threadsTotal = 0;
                for (Map.Entry<String, Long> thread : cpuAfter.entrySet()) {
                    long used = thread.getValue() - cpuBefore.getOrDefault(thread.getKey(), 0L);
                    threadsTotal += used;
                    if (used > wall / 50) {
                        System.out.printf("  %5.1f  %s%n", 100.0 * used / wall, thread.getKey());
                    }
                }
                System.out.printf("  %5.1f  (JIT compilers)%n", 100.0 * jit / wall);
                // Not Java threads: the garbage collector's and the VM's own, and threads that ended during the run.
                System.out.printf("  %5.1f  (the rest: GC and VM threads)%n", 100.0 * (process - threadsTotal - jit) / wall);
                System.out.printf("heap in use after the last collection: %d MB%n", heapAfterCollection() >> 20);
            } finally {
                agent.close();
            }
        } finally {
            kafka.destroy();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result run(JobPublisher publisher, Answers answers, String prefix, int jobs) throws InterruptedException {
        Map<String, Long> submitted = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<JobSubmission<ChatRequested>> batch = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            String jobId = prefix + "-" + i;
            String session = prefix + "-session-" + i;
            batch.add(JobSubmission.of(jobId, "chat", ChatRequested.newBuilder().setJobId(jobId).setSessionId(session)
                    .setMessage("How did deal " + i + " go?").build()).withKey(session));
            if (batch.size() == 100 || i == jobs - 1) {
                long now = System.nanoTime();
                batch.forEach(job -> submitted.put(job.jobId(), now));
                publisher.submitAll(TopicCatalog.AGENT_CHAT, batch);
                batch = new ArrayList<>();
            }
        }
        System.out.printf("%s: %d jobs submitted in %.1f s%n", prefix, jobs, (System.nanoTime() - start) / 1e9);
        long[] latencies = new long[jobs];
        int received = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (received < jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + received + " of " + jobs + " answers after 10 minutes");
            }
            for (Answers.Answer answer : answers.poll()) {
                Long sent = submitted.remove(answer.jobId());
                if (sent != null) {
                    latencies[received++] = (answer.receivedNanos() - sent) / 1_000_000;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Result(jobs / seconds, latencies);
    }

    /** What the heap's pools held after their last collection: the live data the collector keeps copying and marking. */
    private static long heapAfterCollection() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                .mapToLong(pool -> pool.getCollectionUsage().getUsed())
                .sum();
    }

    /** CPU nanoseconds of each live platform thread, summed per name with its numbers masked (pools are one line). */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                cpu.merge(info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("\\d+", "N"),
                        Math.max(0, threads.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        return cpu;
    }

    /** The worker's slots in use, sampled every 50 ms from its in-flight gauge while the measured run lasts. */
    private static final class SlotSampler {
        private final Thread sampler;
        private volatile boolean running = true;
        private final List<Integer> samples = new ArrayList<>();
        private double sum;

        SlotSampler(Gauge inFlight) {
            sampler = Thread.ofPlatform().daemon().name("bench-slots").start(() -> {
                while (running) {
                    synchronized (this) {
                        double now = inFlight.value();
                        sum += now;
                        samples.add((int) now);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
        }

        synchronized double mean() {
            return samples.isEmpty() ? 0 : sum / samples.size();
        }

        /** Slots in use every half second. */
        synchronized List<Integer> timeline() {
            List<Integer> timeline = new ArrayList<>();
            for (int i = 0; i < samples.size(); i += 10) {
                timeline.add(samples.get(i));
            }
            return timeline;
        }

        synchronized List<Integer> first(int count) {
            return List.copyOf(samples.subList(0, Math.min(count, samples.size())));
        }

        synchronized List<Integer> last(int count) {
            return List.copyOf(samples.subList(Math.max(0, samples.size() - count), samples.size()));
        }
    }

    private record Result(double jobsPerSecond, long[] sortedLatencies) {
        long percentile(int p) {
            int index = (int) Math.ceil(p / 100.0 * sortedLatencies.length) - 1;
            return sortedLatencies[Math.max(0, Math.min(sortedLatencies.length - 1, index))];
        }
    }

    /** agent.chat.responses as committed, with the time each answer was read. */
    private static final class Answers implements AutoCloseable {

        record Answer(String jobId, long receivedNanos) {
        }

        private final KafkaConsumer<String, byte[]> consumer;
        private final Deserializer<ChatCompleted> values = AvroSerde.of(ChatCompleted.class).deserializer();

        Answers(String bootstrapServers) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.CHAT_RESPONSES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        List<Answer> poll() {
            List<Answer> answers = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                answers.add(new Answer(values.deserialize(record.topic(), record.value()).getJobId(), System.nanoTime()));
            }
            return answers;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
