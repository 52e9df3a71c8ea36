package io.jobstream.ingest.queue;

import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.stereotype.Component;

import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.queue.JsonToAvro;
import io.jobstream.ingest.admin.UnknownQueueException;
import io.jobstream.topics.QueueTopics;

/** The queues this deployment declares ({@code jobstream.queues}): every route that names a queue asks here. */
@Component
public class DeclaredQueues {

    private final QueueProperties queues;

    public DeclaredQueues(QueueProperties queues) {
        this.queues = queues;
    }

    /** @throws UnknownQueueException (404) for a queue that is not declared */
    public QueueTopics require(String name) {
        return queues.declared(name)
                .map(queue -> new QueueTopics(name, queue.partitions()))
                .orElseThrow(() -> new UnknownQueueException(name, String.join(", ", names())));
    }

    public QueueProperties.Queue settings(String name) {
        require(name);
        return queues.queue(name);
    }

    public List<String> names() {
        return queues.topics().stream().map(QueueTopics::queue).toList();
    }

    /** The converter for a queue whose jobs carry an Avro record; empty for a JSON queue. */
    public Optional<JsonToAvro<?>> payload(String name) {
        String type = settings(name).payload();
        if (type.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JsonToAvro<>(Class.forName(type).asSubclass(SpecificRecord.class)));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("jobstream.queues." + name + ".payload names no Avro class: " + type, e);
        }
    }
}
