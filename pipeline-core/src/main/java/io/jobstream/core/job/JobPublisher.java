package io.jobstream.core.job;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.queue.JobEnvelope;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.core.streams.Transactions;
import io.jobstream.core.trace.TraceParent;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobOptions;
import io.jobstream.events.JobRequested;
import io.jobstream.events.JobState;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Adds jobs to queues: a job is either fully submitted or not at all, and once the call returns it
 * is durable.
 *
 * <p>A job added alone and due now ({@link #submit}, or {@link #submitAll} of one such job) is one
 * record, its job's record on {@code Q.requests}, written by an idempotent producer (acks=all) without
 * a transaction: one record is atomic by itself, and producer retries do not double it. The record is
 * marked {@link JobHeaders#QUEUED_BY_RECORD}; its QUEUED event comes from {@link JobIntakeTopology}.
 * A transaction costs the broker more than the record does, so this is what lets many concurrent single
 * adds through.
 *
 * <p>Everything else writes the job records and their QUEUED (or DELAYED) events in one Kafka
 * transaction, from a small pool of transactional producers. {@link #submitAll} commits in groups:
 * calls that arrive while every producer is busy wait together and the next free producer commits
 * all of them in one transaction (each call still all or nothing, each caller answered once its
 * group has committed). A transaction costs a begin, a commit and a marker per partition; sharing it
 * is what lets many concurrent bulk adds through. {@link #inTransaction} keeps a transaction of its own.
 */
public final class JobPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobPublisher.class);
    /** Submissions one group transaction takes at most: bounds a transaction's size and its callers' wait. */
    static final int GROUP_MAX = 500;
    private static final long PRODUCER_WAIT_MILLIS = 1;
    /**
     * How long the first producers wait for their transaction coordinator. Longer than a send may block:
     * a broker that has just started, on a loaded machine, takes a while to create its transaction log.
     * A replacement for a broken producer waits only {@code max.block.ms}: a caller is waiting on it.
     */
    private static final Duration STARTUP_INIT_TIMEOUT = Duration.ofSeconds(60);

    private final BlockingQueue<Producer<String, byte[]>> producers;
    /** Writes single adds: idempotent, not transactional. */
    private final Producer<String, byte[]> single;
    private final Serializer<JobEvent> events = AvroSerde.of(JobEvent.class).serializer();
    private final Map<Class<?>, Serializer<SpecificRecord>> payloads = new ConcurrentHashMap<>();
    /** Each producer's client metrics, unbound when the producer closes. */
    private final Map<Producer<String, byte[]>, KafkaClientMetrics> metrics = new ConcurrentHashMap<>();
    /** Submissions waiting for a group transaction, oldest first. */
    private final ConcurrentLinkedQueue<Submission> waiting = new ConcurrentLinkedQueue<>();
    private final Properties config;
    private final String transactionalPrefix;
    /** Producers closed as broken that could not be replaced yet (the broker was down). */
    private final AtomicInteger missing = new AtomicInteger();
    private int created;

    public JobPublisher(String bootstrapServers, String clientId, int poolSize) {
        this.config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        // A caller waiting on a broker that is down gets an error in seconds, not after a minute.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Transactions.TIMEOUT.toMillis());
        this.transactionalPrefix = clientId + "-" + UUID.randomUUID();
        this.single = bind(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
        this.producers = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            producers.add(newProducer(STARTUP_INIT_TIMEOUT));
        }
    }

    public <V extends SpecificRecord> SubmittedJob submit(QueueTopics queue, JobSubmission<V> job) {
        return submitAll(queue, List.of(job)).getFirst();
    }

    /**
     * Submits every job or none: one job due now as a single record, more (or a delayed one) in a
     * transaction it may share with concurrent submissions.
     */
    public <V extends SpecificRecord> List<SubmittedJob> submitAll(QueueTopics queue, List<JobSubmission<V>> jobs) {
        if (jobs.size() == 1 && jobs.getFirst().delay().isZero()) {
            return List.of(submitAlone(queue, jobs.getFirst()));
        }
        Submission submission = new Submission(queue, List.copyOf(jobs));
        waiting.add(submission);
        while (!submission.result.isDone()) {
            Producer<String, byte[]> producer;
            try {
                producer = poll();
            } catch (KafkaException noProducer) {
                if (waiting.remove(submission)) {
                    throw noProducer;
                }
                // Another caller's transaction has taken it: its answer comes from there.
                continue;
            }
            if (producer != null) {
                commitWaiting(producer);
            }
        }
        try {
            return submission.result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * The job's record alone, marked as its own QUEUED fact, answered once the broker has it (acks=all).
     * An error means the caller cannot count on the job; as with a commit that times out, a send that
     * times out may still have been written, and a retry with the same job id is then dropped by the worker.
     */
    private <V extends SpecificRecord> SubmittedJob submitAlone(QueueTopics queue, JobSubmission<V> job) {
        Instant now = Instant.now();
        JobRecord record = record(queue, job, now);
        // The envelope already holds its data: the marker carries only data the record does not.
        boolean envelopeData = job.payload() instanceof JobRequested envelope && Objects.equals(envelope.getData(), record.data());
        record.headers().add(JobHeaders.QUEUED_BY_RECORD,
                envelopeData ? new byte[0] : record.data().getBytes(StandardCharsets.UTF_8));
        try {
            single.send(new ProducerRecord<>(queue.requests(), null, now.toEpochMilli(), record.key(), record.value(),
                    record.headers())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while adding job " + record.metadata().jobId(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException cause ? cause : new KafkaException(e.getCause());
        }
        log.debug("job submitted queue={} jobId={} state={}", queue.queue(), record.metadata().jobId(), JobState.QUEUED);
        return new SubmittedJob(record.metadata().jobId(), queue.queue(), JobState.QUEUED, now, null);
    }

    /** One caller's jobs, all or none, and the caller's answer. */
    private record Submission(QueueTopics queue, List<? extends JobSubmission<? extends SpecificRecord>> jobs,
                              CompletableFuture<List<SubmittedJob>> result) {

        Submission(QueueTopics queue, List<? extends JobSubmission<? extends SpecificRecord>> jobs) {
            this(queue, jobs, new CompletableFuture<>());
        }
    }

    /**
     * Commits what is waiting in one transaction of {@code producer}, then gives the producer back. A
     * submission that cannot be sent (its payload does not serialize) fails alone: the transaction is
     * aborted and the others wait for the next one.
     */
    private void commitWaiting(Producer<String, byte[]> producer) {
        List<Submission> group = new ArrayList<>();
        int jobs = 0;
        for (Submission next; jobs < GROUP_MAX && (next = waiting.poll()) != null; ) {
            group.add(next);
            jobs += next.jobs().size();
        }
        if (group.isEmpty()) {
            release(producer, true);
            return;
        }
        boolean healthy = true;
        List<List<SubmittedJob>> accepted = new ArrayList<>(group.size());
        try {
            producer.beginTransaction();
            Instant now = Instant.now();
            for (Submission submission : group) {
                Batch batch = new Batch(producer, now);
                try {
                    submission.jobs().forEach(job -> batch.submit(submission.queue(), job));
                } catch (RuntimeException unsendable) {
                    producer.abortTransaction();
                    submission.result().completeExceptionally(unsendable);
                    // The others wait again: the next free producer commits them without it.
                    group.stream().filter(other -> other != submission).forEach(waiting::add);
                    return;
                }
                accepted.add(List.copyOf(batch.submitted));
            }
            producer.commitTransaction();
        } catch (ProducerFencedException fatal) {
            healthy = false;
            group.forEach(submission -> submission.result().completeExceptionally(fatal));
            return;
        } catch (RuntimeException e) {
            healthy = aborted(producer);
            group.forEach(submission -> submission.result().completeExceptionally(e));
            return;
        } finally {
            release(producer, healthy);
        }
        for (int i = 0; i < group.size(); i++) {
            accepted.get(i).forEach(s -> log.debug("job submitted queue={} jobId={} state={}", s.queue(), s.jobId(), s.state()));
            group.get(i).result().complete(accepted.get(i));
        }
    }

    /**
     * Publishes records and submits jobs together, all or nothing: for example a post on its
     * compacted topic and the job that embeds it.
     */
    public List<SubmittedJob> inTransaction(Consumer<Batch> work) {
        Producer<String, byte[]> producer = take();
        boolean healthy = true;
        try {
            producer.beginTransaction();
            Batch batch = new Batch(producer, Instant.now());
            work.accept(batch);
            producer.commitTransaction();
            batch.submitted.forEach(s -> log.debug("job submitted queue={} jobId={} state={}", s.queue(), s.jobId(), s.state()));
            return List.copyOf(batch.submitted);
        } catch (ProducerFencedException fatal) {
            healthy = false;
            throw fatal;
        } catch (RuntimeException e) {
            // Whatever failed, nothing of this batch may be committed later by the pooled producer.
            healthy = aborted(producer);
            throw e;
        } finally {
            release(producer, healthy);
        }
    }

    /** What one transaction publishes. */
    public final class Batch {
        private final Producer<String, byte[]> producer;
        private final Instant now;
        private final List<SubmittedJob> submitted = new ArrayList<>();

        private Batch(Producer<String, byte[]> producer, Instant now) {
            this.producer = producer;
            this.now = now;
        }

        public <V extends SpecificRecord> SubmittedJob submit(QueueTopics queue, JobSubmission<V> job) {
            SubmittedJob accepted = send(producer, queue, job, now);
            submitted.add(accepted);
            return accepted;
        }

        /**
         * A new run of a job from its original serialized record (a dead letter): attempt 1, submitted
         * now, same id, type, key and payload.
         */
        public SubmittedJob resubmit(QueueTopics queue, JobMetadata previous, String key, byte[] value, String dataJson) {
            JobMetadata run = new JobMetadata(previous.jobId(), previous.jobType(), 1, previous.maxAttempts(), now,
                    previous.traceId(), previous.parentJobId(), previous.priority(), previous.stage());
            RecordHeaders headers = new RecordHeaders();
            run.writeTo(headers);
            SubmittedJob accepted = sendRun(producer, queue, run, headers, key, value, dataJson, Duration.ZERO, null, now);
            submitted.add(accepted);
            return accepted;
        }

        public <V extends SpecificRecord> void publish(String topic, String key, V value) {
            producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), key, serializer(value).serialize(topic, value)));
        }

        /** A tombstone: deletes {@code key} from a compacted topic. */
        public void delete(String topic, String key) {
            producer.send(new ProducerRecord<String, byte[]>(topic, null, now.toEpochMilli(), key, null));
        }
    }

    private <V extends SpecificRecord> SubmittedJob send(Producer<String, byte[]> producer, QueueTopics queue,
                                                         JobSubmission<V> job, Instant now) {
        JobRecord record = record(queue, job, now);
        return sendRun(producer, queue, record.metadata(), record.headers(), record.key(), record.value(), record.data(),
                job.delay(), record.options(), now);
    }

    /**
     * A job's record as its queue receives it, and what its submission event says.
     *
     * @param data    the job's input as the status API shows it
     * @param options the envelope's options, null for a queue's own record type
     */
    private record JobRecord(JobMetadata metadata, RecordHeaders headers, String key, byte[] value, String data,
                             JobOptions options) {
    }

    private <V extends SpecificRecord> JobRecord record(QueueTopics queue, JobSubmission<V> job, Instant now) {
        String jobId = job.jobId() != null ? job.jobId() : UUID.randomUUID().toString();
        // Without a per-job limit the queue's policy applies; the event shows the default until a worker reports.
        JobMetadata metadata = new JobMetadata(jobId, job.jobType(), 1,
                job.maxAttempts() == null ? RetryPolicy.DEFAULT.attempts() : job.maxAttempts(),
                now, traceOf(job), job.parentJobId(), job.priority());
        RecordHeaders headers = new RecordHeaders();
        metadata.writeTo(headers);
        if (job.maxAttempts() == null) {
            headers.remove(JobHeaders.MAX_ATTEMPTS);
        }
        JobOptions options = null;
        if (job.payload() instanceof JobRequested envelope) {
            // Its options (back-off, timeout) travel as headers through every retry, like the fields above.
            JobEnvelope.fillHeaders(headers, envelope, jobId);
            options = envelope.getOptions();
        }
        String key = job.key() != null ? job.key() : jobId;
        byte[] value = serializer(job.payload()).serialize(queue.requests(), job.payload());
        String data = job.dataJson() != null ? job.dataJson() : job.payload().toString();
        return new JobRecord(metadata, headers, key, value, data, options);
    }

    /** The submitter's trace id, else the trace of the request being served, else a new trace: every job has one. */
    private static String traceOf(JobSubmission<?> job) {
        if (job.traceId() != null) {
            return job.traceId();
        }
        return TraceParent.current().orElseGet(TraceParent::random).traceId();
    }

    /**
     * The job's record (on the queue, or parked on its retry topic until due) and its QUEUED or DELAYED event.
     *
     * @param options the envelope's options, null for a queue's own record type
     */
    private SubmittedJob sendRun(Producer<String, byte[]> producer, QueueTopics queue, JobMetadata metadata,
                                 RecordHeaders headers, String key, byte[] value, String data, Duration delay,
                                 JobOptions options, Instant now) {
        String jobId = metadata.jobId();
        boolean delayed = !delay.isZero();
        Instant dueAt = delayed ? now.plus(delay) : null;
        JobEvent event;
        String topic;
        if (delayed) {
            JobHeaders.put(headers, JobHeaders.DUE_AT, dueAt.toEpochMilli());
            topic = queue.retry();
            event = JobEvents.delayed(queue.queue(), metadata, data, dueAt, now);
        } else {
            topic = queue.requests();
            event = JobEvents.queued(queue.queue(), metadata, data, now);
        }
        if (options != null) {
            event = JobEnvelope.withRemoval(event, options);
        }
        producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), key, value, headers));
        producer.send(new ProducerRecord<>(TopicCatalog.JOB_EVENTS, null, now.toEpochMilli(), jobId,
                events.serialize(TopicCatalog.JOB_EVENTS, event)));
        return new SubmittedJob(jobId, queue.queue(), delayed ? JobState.DELAYED : JobState.QUEUED, now, dueAt);
    }

    @SuppressWarnings("unchecked")
    private Serializer<SpecificRecord> serializer(SpecificRecord payload) {
        return payloads.computeIfAbsent(payload.getClass(),
                type -> (Serializer<SpecificRecord>) (Serializer<?>) AvroSerde.of((Class<SpecificRecord>) type).serializer());
    }

    /** A free producer, or null after a short wait (the caller's submission may be committed meanwhile). */
    /** A pooled producer, or null when none is free within a millisecond. */
    private Producer<String, byte[]> poll() {
        try {
            Producer<String, byte[]> pooled = producers.poll(PRODUCER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return pooled != null ? pooled : replaceMissing();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for a producer", e);
        }
    }

    private Producer<String, byte[]> take() {
        while (true) {
            Producer<String, byte[]> producer = poll();
            if (producer != null) {
                return producer;
            }
        }
    }

    /**
     * Aborts the producer's open transaction; false when it cannot, and the producer must be replaced. A
     * commit that timed out (the broker down) leaves the producer refusing an abort with an
     * IllegalStateException ("must be retried"), not a KafkaException: kept in the pool, it would refuse
     * every later transaction too, long after the broker is back.
     */
    private static boolean aborted(Producer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
            return true;
        } catch (KafkaException | IllegalStateException abortFailed) {
            log.warn("job publisher replaces a producer that cannot abort its transaction: {}", abortFailed.toString());
            return false;
        }
    }

    /** A broken producer is closed at once (its transaction is the coordinator's to abort) and replaced. */
    private void release(Producer<String, byte[]> producer, boolean healthy) {
        if (healthy) {
            producers.add(producer);
            return;
        }
        close(producer, Duration.ZERO);
        try {
            producers.add(newProducer());
        } catch (KafkaException notNow) {
            // The broker is down: the next caller that finds the pool empty creates it (or learns why not).
            missing.incrementAndGet();
            log.warn("job publisher cannot replace a producer yet: {}", notNow.toString());
        }
    }

    /** A producer in place of one that could not be replaced, if any is missing; null if none is. */
    private Producer<String, byte[]> replaceMissing() {
        if (missing.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return null;
        }
        try {
            return newProducer();
        } catch (KafkaException stillNot) {
            missing.incrementAndGet();
            throw stillNot;
        }
    }

    private Producer<String, byte[]> newProducer() {
        return newProducer(Duration.ZERO);
    }

    private synchronized Producer<String, byte[]> newProducer(Duration initTimeout) {
        Properties props = new Properties();
        props.putAll(config);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalPrefix + "-" + created++);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        initTransactions(producer, initTimeout);
        return bind(producer);
    }

    private Producer<String, byte[]> bind(KafkaProducer<String, byte[]> producer) {
        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(Metrics.globalRegistry);
        metrics.put(producer, clientMetrics);
        return producer;
    }

    /**
     * Calls initTransactions until it succeeds or {@code timeout} has passed (at least once): after a
     * timeout it may be called again and resumes waiting for the same producer id.
     */
    private void initTransactions(KafkaProducer<String, byte[]> producer, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                producer.initTransactions();
                return;
            } catch (TimeoutException notYet) {
                if (System.nanoTime() - deadline >= 0) {
                    producer.close(Duration.ZERO);
                    throw notYet;
                }
                log.warn("transaction coordinator not ready, still waiting producer={} error={}",
                        transactionalPrefix, notYet.getMessage());
            }
        }
    }

    @Override
    public void close() {
        close(single);
        producers.forEach(this::close);
        producers.clear();
    }

    private void close(Producer<String, byte[]> producer) {
        close(producer, Duration.ofMillis(Long.MAX_VALUE));
    }

    private void close(Producer<String, byte[]> producer, Duration timeout) {
        KafkaClientMetrics clientMetrics = metrics.remove(producer);
        if (clientMetrics != null) {
            clientMetrics.close();
        }
        producer.close(timeout);
    }
}
