package io.jobstream.ingest.api;

/** A request parameter the API cannot accept; answered 400 naming the field and the reason. */
public final class BadRequestException extends RuntimeException {

    private final String field;
    private final String reason;

    public BadRequestException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
