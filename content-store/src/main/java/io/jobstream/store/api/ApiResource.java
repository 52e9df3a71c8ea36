package io.jobstream.store.api;

import java.util.Map;

/**
 * One endpoint documented from a page's screenshot (seed 003's resource record).
 *
 * @param resourceId {@code {jobId}:{n}}, n from 1 in the order the endpoints were found
 * @param provider   what generated it: {@code tesseract-ocr} or the OpenAI model
 * @param confidence the OCR's mean word confidence (0-100); null for a vision model
 */
public record ApiResource(String resourceId, String jobId, String pageUrl, String pageTitle, String method,
                          String endpoint, Map<String, String> headers, String body, String curl, String markdown,
                          String description, String provider, Double confidence, String contentRef) {

    public ApiResource {
        headers = Map.copyOf(headers);
    }

    /** What the resource's embedding is made from: what a search for it would be phrased like. */
    public String embeddingText() {
        StringBuilder text = new StringBuilder();
        if (pageTitle != null && !pageTitle.isBlank()) {
            text.append(pageTitle).append(". ");
        }
        if (description != null && !description.isBlank()) {
            text.append(description).append(". ");
        }
        return text.append(method).append(' ').append(endpoint).toString();
    }
}
