package io.jobstream.core.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The API's error shape, {@code {"success": false, "message": ..., "error": {"field"?, "reason"}}},
 * for errors raised outside any controller (Tomcat's rejections, the servlet error page).
 */
public record ErrorBody(boolean success, String message, Detail error) {

    public ErrorBody(String message, String field, String reason) {
        this(false, message, new Detail(field, reason));
    }

    /** {@code field} is absent when no single request field is at fault. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(String field, String reason) {
    }
}
