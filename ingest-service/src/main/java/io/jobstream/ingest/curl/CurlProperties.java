package io.jobstream.ingest.curl;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code POST /api/curl/jobs}'s limits, e.g. {@code jobstream.ingest.curl.max-size=5MB}.
 *
 * @param maxSize        largest screenshot accepted (413 beyond)
 * @param maxBatch       most screenshots in one request (a flow)
 * @param supportedTypes image types accepted, as detected from the bytes (415 for anything else)
 */
@ConfigurationProperties("jobstream.ingest.curl")
public record CurlProperties(@DefaultValue("10MB") DataSize maxSize, @DefaultValue("50") int maxBatch,
                             @DefaultValue({"image/png", "image/jpeg", "image/webp"}) List<String> supportedTypes) {
}
