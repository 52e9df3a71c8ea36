package io.jobstream.core.streams;

import java.util.Map;

/**
 * When a worker asks Kafka Streams to commit ahead of its commit interval.
 *
 * <p>A job's outcome becomes visible to readers of {@code jobs.events} when the worker's transaction
 * commits, so waiting for the commit interval (100 ms) adds up to that much to every job's latency.
 * Each commit is a transaction, though, and a worker that is behind does more jobs per second when
 * fewer commits share them. So the worker chooses by how long the job it took last had waited in the
 * queue:
 * <ul>
 *   <li><b>caught up</b> (that job waited at most {@code interval}, or none was taken for that long, and
 *       every job the task holds is running): outcomes are committed at most {@code interval} after they
 *       are forwarded;</li>
 *   <li><b>behind</b> (jobs wait longer, or for a free slot): the commit interval applies.</li>
 * </ul>
 * A loaded machine therefore falls back to the throughput setting by itself.
 *
 * <p>Requests are paced per stream thread: under exactly-once v2 a thread's tasks share one
 * producer, so one request commits them all, and a thread with six tasks must not commit six times
 * as often.
 */
public final class CaughtUpCommits {

    /** The Streams application config that carries {@link StreamsProperties#caughtUpCommitInterval()} to the workers. */
    public static final String INTERVAL_CONFIG = "jobstream.caught.up.commit.interval.ms";

    private static final ThreadLocal<Pacing> STREAM_THREAD = ThreadLocal.withInitial(Pacing::new);

    private final long intervalMillis;
    private boolean behind;
    private long lastTakenMillis;
    private boolean uncommitted;

    public CaughtUpCommits(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** The interval the application was configured with; off (0) when it was not started by jobstream. */
    public static CaughtUpCommits of(Map<String, Object> appConfigs) {
        Object interval = appConfigs.get(INTERVAL_CONFIG);
        return new CaughtUpCommits(interval == null ? 0 : Long.parseLong(interval.toString()));
    }

    /** The task took a job that had waited this long since it was added. */
    public void taken(long nowMillis, long waitedMillis) {
        behind = waitedMillis > intervalMillis;
        lastTakenMillis = nowMillis;
    }

    /** The task forwarded an outcome, which the next commit makes visible. */
    public void forwarded() {
        uncommitted = true;
    }

    /**
     * Whether to request a commit now, on the calling stream thread.
     *
     * @param allRunning whether every job the task holds is running (none waits for a slot)
     */
    public boolean due(long nowMillis, boolean allRunning) {
        return due(nowMillis, allRunning, STREAM_THREAD.get());
    }

    boolean due(long nowMillis, boolean allRunning, Pacing thread) {
        // A worker that took the last of a backlog is caught up once nothing more comes.
        boolean caughtUp = !behind || nowMillis - lastTakenMillis >= intervalMillis;
        if (intervalMillis <= 0 || !uncommitted || !caughtUp || !allRunning || !thread.allows(nowMillis, intervalMillis)) {
            return false;
        }
        uncommitted = false;
        return true;
    }

    /** The last commit request of one stream thread. */
    static final class Pacing {
        private boolean requested;
        private long lastMillis;

        boolean allows(long nowMillis, long intervalMillis) {
            if (requested && nowMillis - lastMillis < intervalMillis) {
                return false;
            }
            requested = true;
            lastMillis = nowMillis;
            return true;
        }
    }
}
