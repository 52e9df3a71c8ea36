package io.jobstream.ingest.document;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.jobstream.ingest.support.Http;

/** A multipart/form-data upload as a browser or curl -F sends it: a file part and optional fields. */
final class Multipart {

    private Multipart() {
    }

    static Http.Response upload(URI uri, String fileName, String contentType, byte[] content, String jobId) {
        String boundary = "----jobstream" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (jobId != null) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jobId\"\r\n\r\n" + jobId + "\r\n");
        }
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write(body, "\r\n--" + boundary + "--\r\n");
        return Http.post(uri, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
