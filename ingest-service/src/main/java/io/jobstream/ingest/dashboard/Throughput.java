package io.jobstream.ingest.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.ingest.progress.JobEventStream;

/**
 * Jobs completed and failed per minute and queue over the last hour, counted from the live
 * {@code jobs.events} this instance reads anyway for its SSE routes. Counts start when the
 * instance starts: the status store keeps only each queue's retained jobs, too few to chart.
 */
@Component
public class Throughput implements SmartLifecycle {

    /** Minutes kept: the chart's span. */
    static final int MINUTES = 60;

    private final JobEventStream events;
    private final Clock clock;
    private final Map<String, Counts> perQueue = new ConcurrentHashMap<>();
    private volatile AutoCloseable subscription;

    @Autowired
    public Throughput(JobEventStream events) {
        this(events, Clock.systemUTC());
    }

    Throughput(JobEventStream events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** One minute of one queue (or of all, when asked without a queue). */
    public record Minute(Instant minute, long completed, long failed) {
    }

    /** The last hour, oldest minute first, for {@code queue} or, when null, every queue. */
    public List<Minute> lastHour(String queue) {
        long now = minuteOf(clock.instant());
        List<Minute> minutes = new ArrayList<>(MINUTES);
        for (long minute = now - MINUTES + 1; minute <= now; minute++) {
            long completed = 0;
            long failed = 0;
            for (Map.Entry<String, Counts> entry : perQueue.entrySet()) {
                if (queue == null || queue.equals(entry.getKey())) {
                    completed += entry.getValue().completed(minute);
                    failed += entry.getValue().failed(minute);
                }
            }
            minutes.add(new Minute(Instant.EPOCH.plus(Duration.ofMinutes(minute)), completed, failed));
        }
        return minutes;
    }

    void record(JobEvent event) {
        boolean completed = event.getState() == JobState.COMPLETED;
        boolean failed = event.getState() == JobState.FAILED || event.getState() == JobState.DEAD_LETTERED;
        if (completed || failed) {
            perQueue.computeIfAbsent(event.getQueue(), queue -> new Counts())
                    .add(minuteOf(event.getTimestamp()), completed);
        }
    }

    private static long minuteOf(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES).getEpochSecond() / 60;
    }

    @Override
    public void start() {
        subscription = events.listen(event -> true, this::record);
    }

    @Override
    public void stop() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop counting job events", e);
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** A ring of minutes: slot {@code minute % MINUTES} holds that minute's counts, reset when a newer minute takes it. */
    private static final class Counts {
        private final long[] minuteOfSlot = new long[MINUTES];
        private final long[] completed = new long[MINUTES];
        private final long[] failed = new long[MINUTES];

        synchronized void add(long minute, boolean isCompleted) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            if (minuteOfSlot[slot] < minute) {
                minuteOfSlot[slot] = minute;
                completed[slot] = 0;
                failed[slot] = 0;
            } else if (minuteOfSlot[slot] > minute) {
                return;
            }
            (isCompleted ? completed : failed)[slot]++;
        }

        synchronized long completed(long minute) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            return minuteOfSlot[slot] == minute ? completed[slot] : 0;
        }

        synchronized long failed(long minute) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            return minuteOfSlot[slot] == minute ? failed[slot] : 0;
        }
    }
}
