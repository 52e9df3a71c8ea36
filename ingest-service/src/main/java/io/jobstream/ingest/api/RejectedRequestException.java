package io.jobstream.ingest.api;

import org.springframework.http.HttpStatus;

/**
 * A request refused before its content is looked at (unsigned, too large, not JSON); answered with
 * {@code status}, naming the field (often a header) and the reason, in the {@link io.jobstream.core.web.ErrorBody} shape.
 */
public final class RejectedRequestException extends RuntimeException {

    private final HttpStatus status;
    private final String summary;
    private final String field;
    private final String reason;

    public RejectedRequestException(HttpStatus status, String summary, String field, String reason) {
        super(field + ": " + reason);
        this.status = status;
        this.summary = summary;
        this.field = field;
        this.reason = reason;
    }

    public HttpStatus status() {
        return status;
    }

    public String summary() {
        return summary;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
