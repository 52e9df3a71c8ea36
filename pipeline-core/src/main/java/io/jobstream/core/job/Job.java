package io.jobstream.core.job;

/**
 * One attempt of a job, as a {@link JobHandler} sees it: who it is, its data, and a way to
 * report progress (BullMQ's {@code job.updateProgress}).
 */
public final class Job<V> {

    private final JobMetadata metadata;
    private final String key;
    private final V data;
    private final ProgressListener progress;

    public Job(JobMetadata metadata, String key, V data, ProgressListener progress) {
        this.metadata = metadata;
        this.key = key;
        this.data = data;
        this.progress = progress;
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

    @FunctionalInterface
    public interface ProgressListener {
        void report(int percent, String step);
    }
}
