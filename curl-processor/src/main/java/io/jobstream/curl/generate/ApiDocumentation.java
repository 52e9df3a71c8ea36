package io.jobstream.curl.generate;

import java.util.List;

import io.jobstream.curl.extract.ApiEndpoint;

/**
 * What a generator made of one screenshot.
 *
 * @param provider           {@code tesseract-ocr}, or {@code openai:<model>}
 * @param confidence         OCR's mean word confidence (0-100); null for a vision model
 * @param lowConfidenceLines recognized lines under the configured confidence threshold, reported as they were read
 * @param millis             how long the generation took
 */
public record ApiDocumentation(String description, List<ApiEndpoint> endpoints, String provider, Double confidence,
                               List<String> lowConfidenceLines, long millis) {

    public ApiDocumentation {
        endpoints = List.copyOf(endpoints);
        lowConfidenceLines = List.copyOf(lowConfidenceLines);
    }
}
