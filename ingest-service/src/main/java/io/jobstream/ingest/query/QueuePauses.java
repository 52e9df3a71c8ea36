package io.jobstream.ingest.query;

import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.springframework.stereotype.Component;

import io.jobstream.core.control.QueueControl;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.events.ControlCommand;

/** Which queues are paused, from this instance's copy of the global queue-control store. */
@Component
public class QueuePauses {

    private final ManagedStreams managed;

    public QueuePauses(ManagedStreams jobStatusStreams) {
        this.managed = jobStatusStreams;
    }

    public boolean isPaused(String queue) {
        try {
            return new QueueControl(managed.streams().store(StoreQueryParameters.fromNameAndType(
                    QueueControl.STORE, QueryableStoreTypes.<String, ControlCommand>keyValueStore()))).isPaused(queue);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            throw new StatusUnavailableException("queue-control store is not ready: " + e.getMessage(), e);
        }
    }
}
