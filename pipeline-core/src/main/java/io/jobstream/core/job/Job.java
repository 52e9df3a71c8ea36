package io.jobstream.core.job;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt of a job, as a {@link JobHandler} sees it: who it is, its data, and ways to report
 * progress (BullMQ's {@code job.updateProgress}) and log lines (BullMQ's {@code job.log}).
 */
public final class Job<V> {

    /** Lines one attempt may log; later lines are dropped, so a looping handler cannot flood jobs.logs. */
    public static final int MAX_LOG_LINES = 1_000;
    /** Characters kept of one log line. */
    public static final int MAX_LOG_LINE_CHARS = 10_000;

    private final JobMetadata metadata;
    private final String key;
    private final V data;
    private final ProgressListener progress;
    private final LogListener log;
    private final AtomicInteger logged = new AtomicInteger();

    public Job(JobMetadata metadata, String key, V data, ProgressListener progress, LogListener log) {
        this.metadata = metadata;
        this.key = key;
        this.data = data;
        this.progress = progress;
        this.log = log;
    }

    public String id() {
        return metadata.jobId();
    }

    public String type() {
        return metadata.jobType();
    }

    public int attempt() {
        return metadata.attempt();
    }

    /** The record key: the ordering key of the queue (job id, entity key or session id). */
    public String key() {
        return key;
    }

    public V data() {
        return data;
    }

    public JobMetadata metadata() {
        return metadata;
    }

    /** Reports progress; it is published as a PROGRESS event from the stream thread. */
    public void progress(int percent, String step) {
        progress.report(Math.max(0, Math.min(100, percent)), step);
    }

    /** Adds a line to the job's log; it is published to jobs.logs from the stream thread. */
    public void log(String line) {
        if (logged.incrementAndGet() > MAX_LOG_LINES) {
            return;
        }
        String text = String.valueOf(line);
        log.append(text.length() > MAX_LOG_LINE_CHARS ? text.substring(0, MAX_LOG_LINE_CHARS) : text);
    }

    @FunctionalInterface
    public interface ProgressListener {
        void report(int percent, String step);
    }

    @FunctionalInterface
    public interface LogListener {
        void append(String line);
    }
}
