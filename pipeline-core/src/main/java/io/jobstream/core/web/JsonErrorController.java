package io.jobstream.core.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet error page ({@code /error}: errors raised in filters or by {@code sendError}) in the
 * API's error shape, in place of Spring Boot's {@code BasicErrorController}.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class JsonErrorController implements ErrorController {

    @RequestMapping
    public ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        // Asked for directly, /error is no route of the API.
        HttpStatus status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                && HttpStatus.resolve(code) != null ? HttpStatus.resolve(code) : HttpStatus.NOT_FOUND;
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String reason = message instanceof String text && !text.isBlank() ? text
                : uri == null ? "no route for this request" : "request to " + uri + " failed";
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(status.getReasonPhrase(), null, reason));
    }
}
