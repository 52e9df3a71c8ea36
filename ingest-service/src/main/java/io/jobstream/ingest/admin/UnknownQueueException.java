package io.jobstream.ingest.admin;

/** A queue name that is not in the topic catalog. */
public class UnknownQueueException extends RuntimeException {

    private final String queue;

    public UnknownQueueException(String queue, String known) {
        super("no queue named '" + queue + "'; queues: " + known);
        this.queue = queue;
    }

    public String queue() {
        return queue;
    }
}
