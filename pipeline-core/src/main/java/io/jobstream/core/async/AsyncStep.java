package io.jobstream.core.async;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.control.QueueControl;
import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.job.JobMetadataReader;
import io.jobstream.core.metrics.JobMetrics;
import io.jobstream.core.retry.FailureClassifier;
import io.jobstream.core.retry.JobDeferredException;
import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.core.store.ParkedRecord;
import io.jobstream.core.store.UnfinishedJob;
import io.jobstream.core.streams.CaughtUpCommits;
import io.jobstream.core.trace.JobTracing;
import io.jobstream.events.ControlCommand;

/**
 * Runs a slow step (a model or remote API call) off the stream thread, so one partition can have
 * many jobs in flight.
 *
 * <p>Each record is first written to the worker's changelogged store of unfinished jobs (keyed by job
 * id, shared with the job-id deduplication), then handed to a virtual
 * thread. Results come back through a queue and are forwarded from the stream thread (on the
 * next record or the next punctuation) together with the removal from the store, in the same
 * transaction. A crash or task migration therefore loses nothing: whatever is still in the store
 * when the task starts again is submitted again (at-least-once execution, exactly-once outputs).
 *
 * <p>A job's start is announced lazily: the first tick that finds it still running forwards its
 * STARTED (and so does its first progress or log line, which must not precede it). A job that ends
 * before that forwards no STARTED; its outcome carries when it started. A quick job so costs one
 * record fewer.
 *
 * <p>Records with the same key run one after another in arrival order; different keys run
 * concurrently up to the worker's concurrency, higher-priority jobs first. When a task holds
 * {@code capacity} records, its stream thread waits for a slot, which holds back consumption.
 *
 * <p>{@link QueueControl} commands apply here: while the queue is paused no job starts (running ones
 * finish, arriving ones wait in the store); a cancelled job never starts, and a running one is
 * interrupted and abandoned. Either way the job ends CANCELLED.
 */
public final class AsyncStep<V, R> implements Processor<String, V, String, StepOutcome<V, R>> {

    private static final Logger log = LoggerFactory.getLogger(AsyncStep.class);
    private static final long CAPACITY_POLL_MILLIS = 5;
    /** How often waiting and running jobs are checked for cancellation when nothing else happens. */
    private static final long CONTROL_SWEEP_MILLIS = 100;
    /**
     * One timer for every task's attempt deadlines. A deadline cancelled when its attempt ends leaves
     * the queue at once, so the timer holds only running attempts' deadlines, not every job of the
     * last timeout's worth (300,000 at 10,000 jobs/s and 30 s); a platform thread, since a virtual one
     * re-arms the carrier pool's delay scheduler on every new deadline.
     */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

    private final String queue;
    private final String storeName;
    private final Serde<V> values;
    private final JobHandler<V, R> handler;
    private final JobMetadataReader metadata;
    private final AsyncStepSettings settings;
    private final Semaphore slots;
    private final JobMetrics metrics;

    private final Deque<Pending<V>> backlog = new ArrayDeque<>();
    /** Waiting jobs with a priority: while there are none, the ready jobs are the backlog's head. */
    private int prioritizedWaiting;
    private final Map<Long, Running<V>> running = new HashMap<>();
    private final Set<String> busyKeys = new HashSet<>();
    private final LinkedBlockingQueue<Signal<V, R>> signals = new LinkedBlockingQueue<>();

    private ProcessorContext<String, StepOutcome<V, R>> context;
    private KeyValueStore<String, UnfinishedJob> unfinished;
    private QueueControl control;
    private ExecutorService workers;
    private CaughtUpCommits commits;
    private long nextSequence;
    private long lastControlSweep;

    public AsyncStep(String queue, String storeName, Serde<V> values, JobHandler<V, R> handler,
                     JobMetadataReader metadata, AsyncStepSettings settings, Semaphore slots, JobMetrics metrics) {
        this.queue = queue;
        this.storeName = storeName;
        this.values = values;
        this.handler = handler;
        this.metadata = metadata;
        this.settings = settings;
        this.slots = slots;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, StepOutcome<V, R>> context) {
        this.context = context;
        this.unfinished = context.getStateStore(storeName);
        KeyValueStore<String, ControlCommand> commands = context.getStateStore(QueueControl.STORE);
        this.control = new QueueControl(commands);
        this.commits = CaughtUpCommits.of(context.appConfigs());
        this.workers = Executors.newVirtualThreadPerTaskExecutor();
        resubmitUnfinished();
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, now -> {
            drainSignals();
            announceRunning();
            if (now - lastControlSweep >= CONTROL_SWEEP_MILLIS) {
                lastControlSweep = now;
                cancelRequested();
            }
            startReady();
            commitIfCaughtUp();
        });
    }

    /** Work left in the store by a crash or a previous owner of this task runs again, in arrival order. */
    private void resubmitUnfinished() {
        List<UnfinishedJob> held = new ArrayList<>();
        try (KeyValueIterator<String, UnfinishedJob> entries = unfinished.all()) {
            entries.forEachRemaining(entry -> {
                if (entry.value.holdsRecord()) {
                    held.add(entry.value);
                }
            });
        }
        held.sort(Comparator.comparingLong(UnfinishedJob::sequence));
        for (UnfinishedJob job : held) {
            nextSequence = Math.max(nextSequence, job.sequence() + 1);
            addWaiting(pending(job.sequence(), job.parked()));
        }
        if (!backlog.isEmpty()) {
            log.info("resubmitting unfinished jobs store={} task={} count={}", storeName, context.taskId(), backlog.size());
        }
    }

    @Override
    public void process(Record<String, V> record) {
        drainSignals();
        awaitCapacity();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] raw = values.serializer().serialize(source.topic(), record.headers(), record.value());
        ParkedRecord parked = ParkedRecord.of(record.key(), raw, record.timestamp(), record.headers(),
                source.topic(), source.partition(), source.offset());
        long sequence = nextSequence++;
        JobMetadata job = metadata.read(record.headers(), record.key(), record.timestamp());
        long now = context.currentSystemTimeMs();
        commits.taken(now, now - record.timestamp());
        unfinished.put(job.jobId(), new UnfinishedJob(job.enqueuedAt().toEpochMilli(), sequence, parked));
        addWaiting(new Pending<>(sequence, parked, record.value(), job, null));
        startReady();
    }

    /** Outcomes forwarded while the worker keeps up commit sooner than the Streams commit interval. */
    private void commitIfCaughtUp() {
        if (commits.due(context.currentSystemTimeMs(), backlog.isEmpty())) {
            context.commit();
        }
    }

    private Pending<V> pending(long sequence, ParkedRecord parked) {
        JobMetadata job = metadata.read(parked.headersCopy(), parked.key(), parked.timestamp());
        try {
            V value = values.deserializer().deserialize(parked.sourceTopic(), parked.headersCopy(), parked.value());
            return new Pending<>(sequence, parked, value, job, null);
        } catch (RuntimeException unreadable) {
            return new Pending<>(sequence, parked, null, job, unreadable);
        }
    }

    /**
     * Waits while this task holds {@code capacity} jobs. Meanwhile it keeps collecting its own results
     * and starting its own waiting jobs in slots other tasks freed: the stream thread is shared by all
     * tasks, so nothing else runs here until this returns.
     */
    private void awaitCapacity() {
        if (control.isPaused(queue)) {
            // Nothing frees room while paused; waiting would only stall every other task.
            return;
        }
        long deadline = System.nanoTime() + settings.maxBlock().toNanos();
        while (running.size() + backlog.size() >= settings.capacity()) {
            if (System.nanoTime() - deadline > 0) {
                log.debug("async step full, taking the record anyway store={} held={}", storeName, running.size() + backlog.size());
                return;
            }
            try {
                Signal<V, R> signal = signals.poll(CAPACITY_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (signal != null) {
                    handle(signal);
                }
                drainSignals();
                startReady();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Starts waiting jobs while the worker has free slots (shared by all its tasks, so concurrency is
     * per instance, as in BullMQ): the next job of each key that has none running, by priority, then
     * in arrival order.
     */
    private void startReady() {
        // No free slot: nothing could start, and the ready list costs a pass over held jobs.
        // Waiting jobs' cancellations are swept on the tick.
        if (backlog.isEmpty() || slots.availablePermits() == 0 || control.isPaused(queue)) {
            return;
        }
        for (Pending<V> next : readyInOrder(slots.availablePermits())) {
            Optional<ControlCommand> cancel = control.cancellation(next.job());
            if (cancel.isPresent()) {
                removeWaiting(next);
                cancelWaiting(next, cancel.get());
                continue;
            }
            if (!slots.tryAcquire()) {
                return;
            }
            removeWaiting(next);
            start(next);
        }
    }

    private void addWaiting(Pending<V> job) {
        backlog.addLast(job);
        if (job.job().priority() != null) {
            prioritizedWaiting++;
        }
    }

    private void removeWaiting(Pending<V> job) {
        backlog.removeFirstOccurrence(job);
        forgetPriority(job);
    }

    private void forgetPriority(Pending<V> job) {
        if (job.job().priority() != null) {
            prioritizedWaiting--;
        }
    }

    /**
     * The first waiting job of each key without a running one. BullMQ's priority order: jobs without
     * a priority first, then 1, 2, …; a stable sort keeps arrival order among equals. Priority reorders
     * what a task holds (up to its capacity), not the partition behind it. A queue declared with
     * {@code priority: false} keeps arrival order.
     *
     * <p>In arrival order only the first {@code free} ready jobs are looked for: a task can hold thousands
     * of waiting jobs, and this runs on every record and tick while a slot is free.
     */
    private List<Pending<V>> readyInOrder(int free) {
        boolean byPriority = prioritizedWaiting > 0 && settings.prioritized();
        Set<String> passed = new HashSet<>();
        List<Pending<V>> ready = new ArrayList<>();
        for (Pending<V> waiting : backlog) {
            if (!byPriority && ready.size() == free) {
                break;
            }
            String key = waiting.record().key();
            if (!busyKeys.contains(key) && passed.add(key)) {
                ready.add(waiting);
            }
        }
        if (byPriority) {
            ready.sort(Comparator.comparingInt(waiting -> waiting.job().priority() == null ? 0 : waiting.job().priority()));
        }
        return ready;
    }

    /** Waiting jobs that were cancelled end now; running ones are interrupted. */
    private void cancelRequested() {
        Iterator<Pending<V>> waiting = backlog.iterator();
        while (waiting.hasNext()) {
            Pending<V> next = waiting.next();
            Optional<ControlCommand> cancel = control.cancellation(next.job());
            if (cancel.isPresent()) {
                waiting.remove();
                forgetPriority(next);
                cancelWaiting(next, cancel.get());
            }
        }
        for (Running<V> run : List.copyOf(running.values())) {
            control.cancellation(run.pending.job()).ifPresent(cancel -> {
                if (settle(run, cancelled(run.pending, cancel))) {
                    run.work.cancel(true);
                    log.info("running job abandoned, cancelled queue={} jobId={}", queue, run.pending.job().jobId());
                }
            });
        }
    }

    /** A cancelled job that never started: no ACTIVE, straight to its cancellation. */
    private void cancelWaiting(Pending<V> job, ControlCommand cancel) {
        forward(job, cancelled(job, cancel));
        release(job);
    }

    private static <V, R> StepOutcome<V, R> cancelled(Pending<V> job, ControlCommand cancel) {
        return StepOutcome.cancelled(job.job(), job.record(), job.value(), cancel.getReason());
    }

    private void start(Pending<V> pending) {
        long now = context.currentSystemTimeMs();
        Running<V> run = new Running<>(pending, JobTracing.start(queue, pending.job(), pending.record().headersCopy()),
                Instant.ofEpochMilli(now));
        running.put(pending.sequence(), run);
        busyKeys.add(pending.record().key());
        metrics.waited(queue, pending.job().jobType(), Duration.ofMillis(now - pending.record().timestamp()));
        if (pending.unreadable() != null) {
            settle(run, failed(pending, new PermanentJobException("parked record is unreadable: "
                    + pending.unreadable().getMessage(), pending.unreadable())));
            return;
        }
        Job<V> job = new Job<>(pending.job(), pending.record().key(), pending.value(),
                (percent, step) -> {
                    if (!run.settled.get()) {
                        signals.add(new Signal.Report<>(run, StepOutcome.progress(pending.job(), pending.record(),
                                pending.value(), percent, step)));
                    }
                },
                line -> {
                    if (!run.settled.get()) {
                        signals.add(new Signal.Report<>(run, StepOutcome.log(pending.job(), pending.record(), pending.value(), line)));
                    }
                });
        run.work = workers.submit(() -> {
            try {
                settle(run, StepOutcome.succeeded(pending.job(), pending.record(), pending.value(), handler.handle(job)));
            } catch (Throwable failure) {
                // A deferral is not a failure: the same attempt runs again later.
                settle(run, FailureClassifier.unwrap(failure) instanceof JobDeferredException deferred
                        ? StepOutcome.deferred(pending.job(), pending.record(), pending.value(), deferred.getMessage(),
                                deferred.retryAfter())
                        : failed(pending, failure));
            }
        });
        Duration timeout = timeout(pending);
        run.deadline = TIMEOUTS.schedule(() -> {
            if (settle(run, failed(pending, new TimeoutException("job " + pending.job().jobId() + " timed out after "
                    + timeout.toMillis() + " ms")))) {
                run.work.cancel(true);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The job's own time limit (BullMQ's {@code timeout} option), else the queue's. */
    private Duration timeout(Pending<V> pending) {
        return JobHeaders.number(pending.record().headersCopy(), JobHeaders.TIMEOUT)
                .filter(millis -> millis > 0)
                .map(Duration::ofMillis)
                .orElse(settings.timeout());
    }

    private static <V, R> StepOutcome<V, R> failed(Pending<V> job, Throwable failure) {
        return StepOutcome.failed(job.job(), job.record(), job.value(), failure);
    }

    /**
     * First of result, failure, cancellation or timeout wins; the others are ignored. The slot is freed
     * at once, on this thread: another task may start a job before this task's stream thread collects
     * the outcome.
     */
    private boolean settle(Running<V> run, StepOutcome<V, R> outcome) {
        if (!run.settled.compareAndSet(false, true)) {
            return false;
        }
        slots.release();
        metrics.processing(queue, run.pending.job().jobType(), Duration.ofNanos(System.nanoTime() - run.startedNanos));
        run.span.end(outcome.kind().name().toLowerCase(Locale.ROOT), outcome.error());
        signals.add(new Signal.Done<>(run, outcome));
        return true;
    }

    private void drainSignals() {
        Signal<V, R> signal;
        while ((signal = signals.poll()) != null) {
            handle(signal);
        }
    }

    /**
     * Runs still running at a tick are announced. A settled one is not: its outcome is on its way
     * and reports its start.
     */
    private void announceRunning() {
        for (Running<V> run : running.values()) {
            if (!run.announced && !run.settled.get()) {
                announce(run);
            }
        }
    }

    private void announce(Running<V> run) {
        run.announced = true;
        Pending<V> job = run.pending;
        forward(job, StepOutcome.started(job.job(), job.record(), job.value(), run.startedAt));
    }

    private void handle(Signal<V, R> signal) {
        switch (signal) {
            case Signal.Report<V, R> report -> {
                Running<V> run = report.run();
                if (running.containsKey(run.pending.sequence())) {
                    if (!run.announced) {
                        announce(run);
                    }
                    forward(run.pending, report.outcome());
                }
            }
            case Signal.Done<V, R> done -> {
                Running<V> run = done.run();
                Pending<V> job = run.pending;
                if (running.remove(job.sequence()) == null) {
                    return;
                }
                busyKeys.remove(job.record().key());
                if (run.deadline != null) {
                    run.deadline.cancel(false);
                }
                forward(job, run.announced ? done.outcome() : done.outcome().unannounced(run.startedAt));
                release(job);
            }
        }
    }

    /**
     * The worker no longer holds the job's record. Called once the outcome has been through the
     * outcome router: a run that ended has no entry left to rewrite (the router removed it), one that
     * goes on (a retry, a deferral) keeps its entry without the record. An entry of a newer run of the
     * same id is left alone.
     */
    private void release(Pending<V> job) {
        UnfinishedJob entry = unfinished.get(job.job().jobId());
        if (entry != null && entry.holdsRecord() && entry.sequence() == job.sequence()) {
            unfinished.put(job.job().jobId(), entry.released());
        }
    }

    private void forward(Pending<V> job, StepOutcome<V, R> outcome) {
        try {
            context.forward(new Record<>(job.record().key(), outcome, context.currentSystemTimeMs(), job.record().headersCopy()));
            commits.forwarded();
        } catch (RuntimeException downstream) {
            throw new OutcomeForwardingException(job.job().jobId(), downstream);
        }
    }

    /** Running work is abandoned, not finished: it stays in the store for the next owner. */
    @Override
    public void close() {
        running.values().forEach(run -> {
            if (run.settled.compareAndSet(false, true)) {
                slots.release();
            }
            if (run.deadline != null) {
                run.deadline.cancel(false);
            }
            if (run.work != null) {
                run.work.cancel(true);
            }
        });
        if (workers != null) {
            workers.shutdownNow();
        }
        running.clear();
        backlog.clear();
        prioritizedWaiting = 0;
        busyKeys.clear();
    }

    private static ScheduledThreadPoolExecutor timeouts() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("async-step-timeouts").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private record Pending<V>(long sequence, ParkedRecord record, V value, JobMetadata job, RuntimeException unreadable) {
    }

    private static final class Running<V> {
        final Pending<V> pending;
        final JobTracing.Attempt span;
        /** By the stream thread's clock: what the attempt's ACTIVE event, or its outcome, reports. */
        final Instant startedAt;
        final long startedNanos = System.nanoTime();
        final AtomicBoolean settled = new AtomicBoolean();
        /** Whether its STARTED was forwarded; only the stream thread touches it. */
        boolean announced;
        volatile Future<?> work;
        volatile ScheduledFuture<?> deadline;

        Running(Pending<V> pending, JobTracing.Attempt span, Instant startedAt) {
            this.pending = pending;
            this.span = span;
            this.startedAt = startedAt;
        }
    }

    private sealed interface Signal<V, R> {
        /** Progress or a log line of a running job. */
        record Report<V, R>(Running<V> run, StepOutcome<V, R> outcome) implements Signal<V, R> {
        }

        record Done<V, R>(Running<V> run, StepOutcome<V, R> outcome) implements Signal<V, R> {
        }
    }
}
