package io.jobstream.curl.generate;

import java.util.List;
import java.util.Locale;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import io.jobstream.curl.extract.EndpointExtractor;
import io.jobstream.curl.ocr.OcrText;
import io.jobstream.curl.ocr.TesseractOcr;

/**
 * The offline default: Tesseract reads the screenshot, {@link EndpointExtractor} finds the
 * endpoints in what it read. The result says it came from OCR and how sure the OCR was.
 *
 * @param lowConfidence lines recognized below this mean word confidence (0-100) are listed in the result
 */
public record OcrCurlGenerator(TesseractOcr ocr, EndpointExtractor extractor, double lowConfidence) implements CurlGenerator {

    public static final String PROVIDER = "tesseract-ocr";

    @Override
    public ApiDocumentation generate(Screenshot screenshot) {
        OcrText text = ocr.read(screenshot.image());
        if (text.isEmpty()) {
            throw new PermanentJobException("no text was recognized in the screenshot of " + screenshot.pageUrl());
        }
        List<ApiEndpoint> endpoints = extractor.extract(text.lines().stream().map(OcrText.Line::text).toList());
        if (endpoints.isEmpty()) {
            throw new PermanentJobException("no HTTP endpoint (a method followed by a URL or path) was found in the "
                    + text.lines().size() + " lines recognized in the screenshot of " + screenshot.pageUrl()
                    + String.format(Locale.ROOT, " (mean OCR confidence %.1f)", text.meanConfidence()));
        }
        String description = String.format(Locale.ROOT, "%d endpoint%s read by OCR (Tesseract) from %s; mean word confidence %.1f%%",
                endpoints.size(), endpoints.size() == 1 ? "" : "s", screenshot.pageTitle() == null ? screenshot.pageUrl()
                        : screenshot.pageTitle(), text.meanConfidence());
        return new ApiDocumentation(description, endpoints, PROVIDER, text.meanConfidence(),
                text.below(lowConfidence).stream().map(OcrText.Line::text).toList(), text.elapsed().toMillis());
    }
}
