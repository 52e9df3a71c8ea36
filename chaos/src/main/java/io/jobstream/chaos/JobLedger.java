package io.jobstream.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import io.jobstream.avro.AvroSerde;
import io.jobstream.topics.TopicCatalog;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.events.JobStates;
import io.jobstream.test.TopicTail;

/**
 * Every job's transitions as committed on {@code jobs.events} (a read_committed tail from the beginning):
 * the run's record of which jobs finished, which were retried or re-run after a crash, which scheduler
 * ticks were fired.
 */
final class JobLedger implements AutoCloseable {

    /**
     * One transition of one job.
     *
     * @param run       its run's submission time (a job id added again is a new run)
     * @param startedAt an outcome's attempt start, when no ACTIVE event was published for the attempt
     */
    record Event(JobState state, int stage, int attempt, Instant at, String error, Instant run, Instant startedAt) {

        private static final Comparator<Event> RANK = Comparator.comparing(Event::run)
                .thenComparingInt(Event::stage)
                .thenComparingInt(Event::attempt)
                .thenComparingInt(event -> JobStates.rankInAttempt(event.state()));

        /** When this event says its attempt started, or null: an ACTIVE event's time, or the start an outcome tells. */
        Instant start() {
            return state == JobState.ACTIVE ? at : startedAt;
        }
    }

    private final TopicTail tail;
    private final Deserializer<JobEvent> decoder = AvroSerde.of(JobEvent.class).deserializer();
    private final Map<String, List<Event>> jobs = new HashMap<>();
    private int read;

    JobLedger(String bootstrapServers) {
        tail = new TopicTail(bootstrapServers, TopicCatalog.JOB_EVENTS);
    }

    /** The events of every job seen so far, in commit order, per job id. */
    synchronized Map<String, List<Event>> jobs() {
        readNew();
        Map<String, List<Event>> copy = new HashMap<>();
        jobs.forEach((id, events) -> copy.put(id, List.copyOf(events)));
        return copy;
    }

    /** Whether every one of the jobs has finished (completed, failed, dead-lettered or cancelled) by now. */
    synchronized boolean allFinished(Collection<String> jobIds) {
        readNew();
        return jobIds.stream().allMatch(jobId -> {
            List<Event> events = jobs.get(jobId);
            return events != null && JobStates.FINISHED.contains(state(events));
        });
    }

    private void readNew() {
        List<ConsumerRecord<String, byte[]>> records = tail.records();
        for (ConsumerRecord<String, byte[]> record : records.subList(read, records.size())) {
            JobEvent event = decoder.deserialize(record.topic(), record.value());
            if (event != null) {
                jobs.computeIfAbsent(event.getJobId(), id -> new ArrayList<>()).add(new Event(event.getState(),
                        event.getStage(), event.getAttempt(), event.getTimestamp(),
                        event.getErrorMessage() == null ? null : event.getErrorMessage(), event.getEnqueuedAt(),
                        event.getStartedAt()));
            }
        }
        read = records.size();
    }

    /**
     * The job's state now, ranked as the status store folds events, not by arrival: a single add's QUEUED comes
     * from the intake and can arrive after its COMPLETED (it did while the intake recovered from a broker
     * restart). The latest run counts; a run submitted while another was unfinished is a duplicate, and none
     * of its events count (a pipeline's first step may run it before a later step drops it). REMOVED is
     * ignored (retention forgets finished jobs).
     */
    static JobState state(List<Event> events) {
        Event current = current(events);
        return current == null ? null : current.state();
    }

    /** When the job reached its state, as {@link #state} judges it (its finish, for a finished job); null without events. */
    static Instant finishedAt(List<Event> events) {
        Event current = current(events);
        return current == null ? null : current.at();
    }

    private static Event current(List<Event> events) {
        Event current = null;
        for (Event event : events) {
            if (event.state() == JobState.REMOVED || current != null && raced(current, event)) {
                continue;
            }
            if (current == null || Event.RANK.compare(event, current) > 0) {
                current = event;
            }
        }
        return current;
    }

    /**
     * An event of a run submitted while the current one was unfinished: a duplicate, as the status fold judges it,
     * unless the current run was only submitted and a worker reports on the later one, which it then runs instead.
     */
    private static boolean raced(Event current, Event event) {
        return event.run().isAfter(current.run())
                && (!JobStates.FINISHED.contains(current.state()) || event.run().isBefore(current.at()))
                && !(JobStates.reachedWorker(event.state()) && !JobStates.reachedWorker(current.state()));
    }

    @Override
    public void close() throws InterruptedException {
        tail.close();
    }
}
