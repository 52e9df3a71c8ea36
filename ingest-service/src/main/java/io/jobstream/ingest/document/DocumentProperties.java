package io.jobstream.ingest.document;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code POST /api/pipeline/process}'s limits, e.g. {@code jobstream.ingest.documents.max-size=100MB}.
 *
 * @param maxSize        largest accepted file (413 beyond)
 * @param supportedTypes media types accepted as detected from the content and name; an entry
 *                       ending in {@code /*} or {@code .*} accepts a family (415 for anything else)
 */
@ConfigurationProperties("jobstream.ingest.documents")
public record DocumentProperties(@DefaultValue("50MB") DataSize maxSize,
                                 @DefaultValue({"application/pdf", "text/*", "application/xhtml+xml", "application/rtf",
                                         "application/msword", "application/vnd.openxmlformats-officedocument.*",
                                         "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
                                         "application/vnd.oasis.opendocument.*", "application/epub+zip", "message/rfc822",
                                         "application/xml", "application/json"}) List<String> supportedTypes) {
}
