package io.jobstream.ingest.query;

/** The status stores cannot answer completely right now (rebalance, instance unreachable); retry shortly. */
public final class StatusUnavailableException extends RuntimeException {

    public StatusUnavailableException(String reason) {
        super(reason);
    }

    public StatusUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
