package io.jobstream.core.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last-resort error page, as {@link ErrorBody} JSON instead of HTML: it answers the
 * requests Tomcat refuses before any servlet runs (an encoded {@code /} or a bad escape in the path).
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body(status, response.getMessage())));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is already on its way: nothing left to tell.
        }
    }

    /** A 400 here is Tomcat refusing the request line, i.e. the path. */
    static ErrorBody body(int status, String tomcatMessage) {
        HttpStatus known = HttpStatus.resolve(status);
        String message = known == null ? "Request failed" : known.getReasonPhrase();
        String reason = tomcatMessage == null || tomcatMessage.isBlank() ? message : tomcatMessage;
        return new ErrorBody(message, status == 400 ? "path" : null, reason);
    }
}
