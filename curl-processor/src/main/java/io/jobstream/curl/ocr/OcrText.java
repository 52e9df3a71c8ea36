package io.jobstream.curl.ocr;

import java.time.Duration;
import java.util.List;

/**
 * What Tesseract recognized in a screenshot, line by line in reading order.
 *
 * @param meanConfidence the mean of every recognized word's confidence (0-100); 0 when nothing was recognized
 * @param textHeight     the median height of the recognized words' boxes, in pixels
 * @param elapsed        how long the recognition took
 */
public record OcrText(List<Line> lines, double meanConfidence, int textHeight, Duration elapsed) {

    public OcrText {
        lines = List.copyOf(lines);
    }

    /** @param confidence the mean confidence of the line's words (0-100) */
    public record Line(String text, double confidence) {
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Lines recognized with less than {@code threshold} confidence: reported with the result, not hidden. */
    public List<Line> below(double threshold) {
        return lines.stream().filter(line -> line.confidence() < threshold).toList();
    }
}
