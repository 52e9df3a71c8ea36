package io.jobstream.ingest.curl;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.tika.Tika;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.RejectedRequestException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads {@code POST /api/curl/jobs}: multipart/form-data with one or more {@code screenshot} parts
 * and, in the same order, one {@code pageUrl} (and optionally one {@code pageTitle}) per screenshot,
 * plus an optional {@code jobId}. Fields of a batch are named by index in errors ({@code pageUrl[2]}).
 */
final class CurlRequests {

    // Room for the multipart boundaries and the text fields beside the screenshots.
    private static final long ENVELOPE_BYTES = 64 * 1024;
    private static final int MAX_JOB_ID_LENGTH = 200;
    private static final int MAX_TEXT_LENGTH = 2000;
    private static final Tika TIKA = new Tika();

    private CurlRequests() {
    }

    record Request(String jobId, List<ScreenshotUpload> screenshots) {
    }

    static Request read(HttpServletRequest request, CurlProperties limits) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !MediaType.MULTIPART_FORM_DATA.includes(mediaType(contentType))) {
            throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content-Type",
                    "must be multipart/form-data (parts 'screenshot', 'pageUrl', 'pageTitle'), got '" + contentType + "'");
        }
        long maxBytes = limits.maxSize().toBytes();
        if (request.getContentLengthLong() > limits.maxBatch() * maxBytes + ENVELOPE_BYTES) {
            throw tooLarge("screenshot", maxBytes);
        }
        if (!(request instanceof MultipartHttpServletRequest parts)) {
            throw new BadRequestException("screenshot", "is required (a multipart part named 'screenshot')");
        }
        List<MultipartFile> files = parts.getFiles("screenshot");
        if (files.isEmpty()) {
            throw new BadRequestException("screenshot", "is required (a multipart part named 'screenshot')");
        }
        if (files.size() > limits.maxBatch()) {
            throw new BadRequestException("screenshot", "at most " + limits.maxBatch() + " screenshots per request, got " + files.size());
        }
        boolean batch = files.size() > 1;
        String[] pageUrls = values(parts, "pageUrl");
        String[] pageTitles = values(parts, "pageTitle");
        if (pageUrls.length != files.size()) {
            throw new BadRequestException("pageUrl", "one per screenshot is required: " + files.size() + " screenshots, "
                    + pageUrls.length + " pageUrl values");
        }
        if (pageTitles.length != 0 && pageTitles.length != files.size()) {
            throw new BadRequestException("pageTitle", "one per screenshot, or none: " + files.size() + " screenshots, "
                    + pageTitles.length + " pageTitle values");
        }
        List<ScreenshotUpload> screenshots = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            String suffix = batch ? "[" + i + "]" : "";
            MultipartFile file = files.get(i);
            if (file.getSize() > maxBytes) {
                throw tooLarge("screenshot" + suffix, maxBytes);
            }
            byte[] content = file.getBytes();
            if (content.length == 0) {
                throw new BadRequestException("screenshot" + suffix, "is empty");
            }
            String mediaType = TIKA.detect(content);
            if (!limits.supportedTypes().contains(mediaType)) {
                throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "screenshot" + suffix,
                        "is " + mediaType + "; supported: " + String.join(", ", limits.supportedTypes()));
            }
            String fileName = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                    ? "screenshot" : file.getOriginalFilename();
            screenshots.add(new ScreenshotUpload(fileName, mediaType, content, pageUrl(pageUrls[i], "pageUrl" + suffix),
                    pageTitles.length == 0 ? null : text(pageTitles[i], "pageTitle" + suffix)));
        }
        return new Request(jobId(parts.getParameter("jobId")), screenshots);
    }

    private static MediaType mediaType(String header) {
        try {
            return MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content-Type",
                    "cannot be parsed: '" + header + "'");
        }
    }

    private static String[] values(MultipartHttpServletRequest parts, String name) {
        String[] values = parts.getParameterValues(name);
        return values == null ? new String[0] : values;
    }

    private static String pageUrl(String raw, String field) {
        String value = text(raw, field);
        if (value == null) {
            throw new BadRequestException(field, "is required");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new BadRequestException(field, "must be an absolute http(s) URL, got '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw new BadRequestException(field, "is not a URL: " + e.getMessage());
        }
        return value;
    }

    private static String text(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > MAX_TEXT_LENGTH) {
            throw new BadRequestException(field, "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        return raw.strip();
    }

    private static String jobId(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.isBlank() || raw.length() > MAX_JOB_ID_LENGTH) {
            throw new BadRequestException("jobId", "must be 1 to " + MAX_JOB_ID_LENGTH + " characters");
        }
        return raw;
    }

    private static RejectedRequestException tooLarge(String field, long maxBytes) {
        return new RejectedRequestException(HttpStatus.CONTENT_TOO_LARGE, "Payload Too Large", field,
                "is larger than the limit of " + maxBytes + " bytes");
    }
}
