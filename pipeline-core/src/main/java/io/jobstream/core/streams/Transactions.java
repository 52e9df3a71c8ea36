package io.jobstream.core.streams;

import java.time.Duration;

/** How long a Kafka transaction of a jobstream producer may stay open: the job publishers' and the stream threads'. */
public final class Transactions {

    private Transactions() {
    }

    /**
     * Until a transaction ends, read_committed readers of every partition it wrote (the queues, {@code jobs.events},
     * the next step's topic) stop at its first record. A producer killed mid-transaction never ends it: the broker
     * aborts it after this timeout (then within its {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}),
     * and every job behind it waits that long. Kafka's defaults are 60 s for a producer and 10 s under Kafka
     * Streams. Five seconds is fifty commit intervals: a live producer's transactions last milliseconds.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
}
