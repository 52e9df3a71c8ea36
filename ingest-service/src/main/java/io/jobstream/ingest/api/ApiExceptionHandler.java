package io.jobstream.ingest.api;

import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import io.jobstream.ingest.admin.JobConflictException;
import io.jobstream.ingest.admin.UnknownQueueException;
import io.jobstream.core.web.ErrorBody;
import io.jobstream.ingest.query.QueryProperties;
import io.jobstream.ingest.query.StatusUnavailableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/** Every error as {@link ErrorBody} JSON, with the status code that tells clients what to do. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final String retryAfterSeconds;
    private final JsonMapper json;

    public ApiExceptionHandler(QueryProperties properties, JsonMapper json) {
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
        this.json = json;
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> badRequest(BadRequestException e) {
        return error(HttpStatus.BAD_REQUEST, "Invalid request parameter", e.field(), e.reason());
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> missingParameter(MissingServletRequestParameterException e) {
        return error(HttpStatus.BAD_REQUEST, "Invalid request parameter",
                e.getParameterName(), "is required");
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> typeMismatch(MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "Invalid request parameter",
                e.getName(), "cannot be read as "
                        + (e.getRequiredType() == null ? "the expected type" : e.getRequiredType().getSimpleName()));
    }

    /**
     * Refused before the body was read. The server then drains or drops the unread body and may
     * close the connection while doing so: a chunked answer could lose its last chunk, so this one
     * is written whole, with its Content-Length, before that happens.
     */
    @ExceptionHandler
    public ResponseEntity<byte[]> rejected(RejectedRequestException e) {
        byte[] body = json.writeValueAsBytes(new ErrorBody(e.summary(), e.field(), e.reason()));
        return ResponseEntity.status(e.status())
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONNECTION, "close")
                .body(body);
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> unreadableBody(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, "Invalid request body", "body", malformedJson(e.getMostSpecificCause()));
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> jobNotFound(JobNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, "Job not found", "id", "no job with id " + e.jobId());
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> conflict(JobConflictException e) {
        return error(HttpStatus.CONFLICT, "Job cannot be changed that way", "id", e.getMessage());
    }

    @ExceptionHandler
    public ResponseEntity<ErrorBody> unknownQueue(UnknownQueueException e) {
        return error(HttpStatus.NOT_FOUND, "Queue not found", "queue", e.getMessage());
    }

    /** A rebalance or an unreachable instance: the answer exists, just not right now. */
    @ExceptionHandler
    public ResponseEntity<ErrorBody> unavailable(StatusUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(new ErrorBody("Job status is temporarily unavailable, retry shortly", null, e.getMessage()));
    }

    /** The broker cannot take the jobs right now (unreachable, leader moving): nothing was published. */
    @ExceptionHandler
    public ResponseEntity<ErrorBody> queueUnavailable(RetriableException e) {
        log.warn("job queue unavailable: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(new ErrorBody("Job queue is temporarily unavailable, retry shortly", null, e.getClass().getSimpleName()));
    }

    /** Why a body is not JSON, with where the parser stopped when it knows. */
    public static String malformedJson(Throwable cause) {
        if (cause instanceof JacksonException json && json.getLocation() != null
                && json.getLocation() != TokenStreamLocation.NA) {
            TokenStreamLocation at = json.getLocation();
            return "is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return "is not valid JSON";
    }

    /** Spring MVC's own errors (no route, wrong method, ...) keep their status; anything else is a 500. */
    @ExceptionHandler
    public ResponseEntity<ErrorBody> other(Exception e) {
        if (e instanceof ErrorResponse framework) {
            HttpStatusCode status = framework.getStatusCode();
            HttpStatus known = HttpStatus.resolve(status.value());
            return ResponseEntity.status(status).body(new ErrorBody(known == null ? "Request failed" : known.getReasonPhrase(),
                    null, framework.getBody().getDetail()));
        }
        log.error("request failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", null, e.getClass().getSimpleName());
    }

    private static ResponseEntity<ErrorBody> error(HttpStatus status, String message, String field, String reason) {
        return ResponseEntity.status(status).body(new ErrorBody(message, field, reason));
    }
}
