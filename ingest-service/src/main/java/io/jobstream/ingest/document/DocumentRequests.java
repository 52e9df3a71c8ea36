package io.jobstream.ingest.document;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import io.jobstream.ingest.api.ApiExceptionHandler;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.RejectedRequestException;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code POST /api/pipeline/process}: a multipart upload (part {@code file}, optional field
 * {@code jobId}) or JSON {@code {jobId?, fileName, contentBase64 | text}}. The size limit holds
 * before the body is read when the client declares its length, and always before a job is added.
 */
final class DocumentRequests {

    // Room for the multipart boundaries and fields, or the JSON around the base64 text.
    private static final long ENVELOPE_BYTES = 64 * 1024;
    private static final int MAX_JOB_ID_LENGTH = 200;

    private DocumentRequests() {
    }

    static DocumentUpload read(HttpServletRequest request, long maxBytes, JsonMapper json) throws IOException {
        MediaType type = contentType(request.getContentType());
        if (MediaType.MULTIPART_FORM_DATA.includes(type)) {
            refuseDeclaredLength(request, maxBytes + ENVELOPE_BYTES, maxBytes);
            return multipart(request, maxBytes);
        }
        if (MediaType.APPLICATION_JSON.includes(type) || type.getSubtype().endsWith("+json")) {
            long base64Limit = maxBytes / 3 * 4 + 4 + ENVELOPE_BYTES;
            refuseDeclaredLength(request, base64Limit, maxBytes);
            return json(request, base64Limit, maxBytes, json);
        }
        throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content-Type",
                "must be multipart/form-data (part 'file') or application/json, got '" + request.getContentType() + "'");
    }

    private static MediaType contentType(String header) {
        if (header == null || header.isBlank()) {
            throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content-Type",
                    "is required: multipart/form-data or application/json");
        }
        try {
            return MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            throw new RejectedRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Content-Type",
                    "cannot be parsed: '" + header + "'");
        }
    }

    private static void refuseDeclaredLength(HttpServletRequest request, long limit, long maxBytes) {
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(maxBytes);
        }
    }

    private static DocumentUpload multipart(HttpServletRequest request, long maxBytes) throws IOException {
        if (!(request instanceof MultipartHttpServletRequest parts)) {
            throw new BadRequestException("file", "is required (a multipart part named 'file')");
        }
        MultipartFile file = parts.getFile("file");
        if (file == null) {
            throw new BadRequestException("file", "is required (a multipart part named 'file')");
        }
        if (file.getSize() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        String fileName = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                ? "upload" : file.getOriginalFilename();
        return new DocumentUpload(jobId(parts.getParameter("jobId")), fileName, file.getBytes());
    }

    private static DocumentUpload json(HttpServletRequest request, long limit, long maxBytes, JsonMapper json) throws IOException {
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, limit + 1)));
        if (body.length > limit) {
            throw tooLarge(maxBytes);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("body", ApiExceptionHandler.malformedJson(e));
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestException("body", "must be a JSON object {fileName, contentBase64 | text}");
        }
        String fileName = text(root, "fileName");
        if (fileName == null || fileName.isBlank()) {
            throw new BadRequestException("fileName", "is required");
        }
        String base64 = text(root, "contentBase64");
        String plain = text(root, "text");
        if ((base64 == null) == (plain == null)) {
            throw new BadRequestException("contentBase64", "exactly one of contentBase64 and text is required");
        }
        byte[] content;
        if (base64 != null) {
            try {
                // Line breaks are tolerated (MIME style); any other character outside the alphabet is not.
                content = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("contentBase64", "is not valid base64: " + e.getMessage());
            }
        } else {
            content = plain.getBytes(StandardCharsets.UTF_8);
        }
        if (content.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new DocumentUpload(jobId(text(root, "jobId")), fileName, content);
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new BadRequestException(field, "must be a string");
        }
        return node.asString();
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

    private static RejectedRequestException tooLarge(long maxBytes) {
        return new RejectedRequestException(HttpStatus.CONTENT_TOO_LARGE, "Payload Too Large", "file",
                "is larger than the limit of " + maxBytes + " bytes");
    }
}
