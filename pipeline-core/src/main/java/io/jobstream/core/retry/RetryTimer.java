package io.jobstream.core.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
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
import io.jobstream.events.ControlCommand;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.store.ParkedRecord;

/**
 * Holds records from a queue's retry topic until their {@code due-at} and then forwards them, as
 * they were, back to the queue. The store is keyed by big-endian due time followed by the job id,
 * so its natural order is due order and the punctuator stops at the first record not yet due.
 * Parked records survive restarts through the store's changelog.
 *
 * <p>A PROMOTE command for one of its queue's jobs (found by its due time and job id) releases
 * that job at the next punctuation. Time is the processor context's wall clock, so a test driver
 * can move it.
 */
public final class RetryTimer implements Processor<String, byte[], String, byte[]> {

    /** The child taking due records to the queue's requests topic: {@code <queue>-due}. */
    public static final String DUE = "due";
    /** The child taking tombstones of spent promotions to {@code jobs.control}: {@code <queue>-spent-promotions}. */
    public static final String CONTROL = "spent-promotions";

    private static final Logger log = LoggerFactory.getLogger(RetryTimer.class);

    private final String queue;
    private final String storeName;
    private final Duration tick;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<Bytes, ParkedRecord> parked;
    private QueueControl control;

    public RetryTimer(String queue, String storeName, Duration tick) {
        this.queue = queue;
        this.storeName = storeName;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.parked = context.getStateStore(storeName);
        // A global store: readable from any processor without being connected to it.
        this.control = new QueueControl(context.getStateStore(QueueControl.STORE));
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::releaseDue);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long now = context.currentSystemTimeMs();
        long dueAt = JobHeaders.number(record.headers(), JobHeaders.DUE_AT).orElse(now);
        if (dueAt <= now) {
            context.forward(record, queue + "-" + DUE);
            return;
        }
        String jobId = JobHeaders.text(record.headers(), JobHeaders.JOB_ID).orElse(record.key());
        RecordMetadata source = context.recordMetadata().orElseThrow();
        parked.put(timerKey(dueAt, jobId), ParkedRecord.of(record.key(), record.value(), record.timestamp(),
                record.headers(), source.topic(), source.partition(), source.offset()));
        log.debug("job parked until due jobId={} dueAt={}", jobId, dueAt);
    }

    private void releaseDue(long now) {
        releasePromoted(now);
        List<Bytes> released = new ArrayList<>();
        try (KeyValueIterator<Bytes, ParkedRecord> due = parked.all()) {
            while (due.hasNext()) {
                KeyValue<Bytes, ParkedRecord> entry = due.next();
                if (dueAt(entry.key) > now) {
                    break;
                }
                ParkedRecord record = entry.value;
                context.forward(new Record<>(record.key(), record.value(), now, record.headersCopy()), queue + "-" + DUE);
                released.add(entry.key);
            }
        }
        released.forEach(parked::delete);
    }

    /** Promoted jobs parked in this task run now; a promotion of a job parked elsewhere is another task's. */
    private void releasePromoted(long now) {
        control.forEachPromotion(queue, promote -> {
            long dueAt = promote.getDueAt().toEpochMilli();
            if (dueAt <= now) {
                // Due anyway: the scan of due records releases it, or already did. The command is spent.
                forget(promote, now);
                return;
            }
            Bytes key = timerKey(dueAt, promote.getJobId());
            ParkedRecord record = parked.get(key);
            if (record == null) {
                return;
            }
            Headers headers = record.headersCopy();
            JobHeaders.put(headers, JobHeaders.DUE_AT, now);
            context.forward(new Record<>(record.key(), record.value(), now, headers), queue + "-" + DUE);
            parked.delete(key);
            forget(promote, now);
            log.info("job promoted queue={} jobId={} dueAt={}", queue, promote.getJobId(), dueAt);
        });
    }

    /** A tombstone for the promotion, so the compacted control topic does not keep it forever. */
    private void forget(ControlCommand promote, long now) {
        context.forward(new Record<String, byte[]>(QueueControl.promoteKey(promote.getJobId()), null, now),
                queue + "-" + CONTROL);
    }

    static Bytes timerKey(long dueAt, String jobId) {
        byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(dueAt).put(id).array());
    }

    static long dueAt(Bytes timerKey) {
        return ByteBuffer.wrap(timerKey.get()).getLong();
    }
}
