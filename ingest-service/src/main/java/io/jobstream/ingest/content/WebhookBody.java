package io.jobstream.ingest.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import io.jobstream.ingest.api.RejectedRequestException;

/**
 * The webhook's raw body, which the signature covers: JSON only, and never more than the limit in
 * memory. A declared Content-Length over the limit is refused before anything is read; a body
 * without one (chunked) is read up to one byte past the limit and then refused.
 */
final class WebhookBody {

    private WebhookBody() {
    }

    static byte[] read(HttpServletRequest request, long maxBytes) throws IOException {
        requireJson(request.getContentType());
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, declared + " bytes declared");
        }
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(Math.toIntExact(maxBytes + 1));
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes, "more was sent");
        }
        return body;
    }

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("is required: application/json");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            throw unsupported("cannot be parsed: '" + contentType + "'");
        }
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        boolean json = "application".equalsIgnoreCase(type.getType()) && (subtype.equals("json") || subtype.endsWith("+json"));
        if (!json) {
            throw unsupported("must be application/json, got '" + contentType + "'");
        }
    }

    private static RejectedRequestException unsupported(String reason) {
        return new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content-Type", reason);
    }

    private static RejectedRequestException tooLarge(long maxBytes, String sent) {
        return new RejectedRequestException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", "body",
                "must be at most " + maxBytes + " bytes; " + sent);
    }
}
