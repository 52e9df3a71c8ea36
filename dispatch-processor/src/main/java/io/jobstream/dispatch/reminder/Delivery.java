package io.jobstream.dispatch.reminder;

/** What became of one delivery attempt. */
public sealed interface Delivery {

    /** The receiver took it (2xx). */
    record Accepted(int status) implements Delivery {
    }

    /** The receiver refused it for good (4xx, or no receiver for the channel): it is not retried. */
    record Refused(Integer status, String reason) implements Delivery {
    }

    /** The receiver could not take it now (5xx, timeout, connection error): it is retried. */
    record Unavailable(Integer status, String reason) implements Delivery {
    }
}
