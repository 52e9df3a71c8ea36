package io.jobstream.curl;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Font;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import io.jobstream.curl.extract.EndpointExtractor;
import io.jobstream.curl.generate.ApiDocumentation;
import io.jobstream.curl.generate.OcrCurlGenerator;
import io.jobstream.curl.generate.Screenshot;
import io.jobstream.curl.ocr.TesseractOcr;
import io.jobstream.test.ApiPageScreenshots;
import io.jobstream.test.ApiPageScreenshots.Endpoint;

/**
 * How much of what a page shows the offline generator gets exactly right, per font: every method,
 * URL, header and body drawn is one field, right only when it comes back character for character.
 * Prints the accuracy and the OCR time per screenshot.
 */
class OcrAccuracyTest {

    private static final List<Endpoint> ENDPOINTS = List.of(
            ApiPageScreenshots.listUsers(),
            new Endpoint("Create an order", "POST", "https://shop.example.com/v2/orders",
                    List.of("Content-Type: application/json", "Idempotency-Key: order-42"),
                    List.of("{", "  \"sku\": \"desk-oak\",", "  \"quantity\": 2", "}")),
            new Endpoint("Refund a payment", "POST", "https://pay.example.com/v1/refunds",
                    List.of("Authorization: Bearer sk_live_77"), List.of("{", "  \"payment\": \"pay_7\",", "  \"amount\": 1250", "}")),
            new Endpoint("Get the forecast", "GET", "https://weather.example.com/v1/forecast?city=Paris&days=3",
                    List.of("Accept: application/json"), List.of()),
            new Endpoint("Delete a webhook", "DELETE", "https://hooks.example.com/v1/webhooks/wh_3",
                    List.of("X-Api-Key: key_live_9"), List.of()),
            new Endpoint("Update a profile", "PATCH", "https://api.example.com/v1/profiles/p-12",
                    List.of("Content-Type: application/json", "If-Match: 7"), List.of("{", "  \"name\": \"Ada\"", "}")));

    private final OcrCurlGenerator generator = new OcrCurlGenerator(
            new TesseractOcr("tesseract", "eng", 6, Duration.ofSeconds(60), 1, 14), new EndpointExtractor(), 80);

    @Test
    void largeAndSmallFontsAreReadExactly() {
        double monospaced28 = measure(new Font(Font.MONOSPACED, Font.PLAIN, 28));
        double sansSerif28 = measure(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
        double monospaced18 = measure(new Font(Font.MONOSPACED, Font.PLAIN, 18));
        double sansSerif18 = measure(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        double sansSerif13 = measure(new Font(Font.SANS_SERIF, Font.PLAIN, 13));

        assertThat(monospaced28).isEqualTo(1.0);
        assertThat(sansSerif28).isGreaterThanOrEqualTo(0.9);
        assertThat(Math.min(monospaced18, sansSerif18)).isGreaterThanOrEqualTo(0.9);
        // A 1x screenshot's small text: read right because it is enlarged first (without, 6 of 25 fields).
        assertThat(sansSerif13).isGreaterThanOrEqualTo(0.9);
    }

    /** The share of drawn fields read exactly, over one page per endpoint in {@code font}. */
    private double measure(Font font) {
        int fields = 0;
        int right = 0;
        long millis = 0;
        double confidence = 0;
        List<String> misses = new ArrayList<>();
        for (Endpoint drawn : ENDPOINTS) {
            byte[] png = ApiPageScreenshots.page("API reference", List.of(drawn), font);
            ApiEndpoint read;
            try {
                ApiDocumentation documentation = generator.generate(new Screenshot(png, "image/png", "https://docs.example.com", null));
                millis += documentation.millis();
                confidence += documentation.confidence();
                read = documentation.endpoints().getFirst();
            } catch (PermanentJobException e) {
                read = null;
                misses.add(drawn.method() + " " + drawn.url() + ": " + e.getMessage());
            }
            fields += 2 + drawn.headers().size() + (drawn.body().isEmpty() ? 0 : 1);
            if (read == null) {
                continue;
            }
            right += count(read.method().equals(drawn.method()), misses, "method " + read.method());
            right += count(read.url().equals(drawn.url()), misses, "url " + read.url());
            for (String header : drawn.headers()) {
                String name = header.substring(0, header.indexOf(':'));
                String value = header.substring(header.indexOf(':') + 1).strip();
                right += count(value.equals(read.headers().get(name)), misses, "header " + name + " " + read.headers());
            }
            if (!drawn.body().isEmpty()) {
                String expected = String.join("", drawn.body()).replace(" ", "");
                right += count(expected.equals(read.body()), misses, "body " + read.body());
            }
        }
        double accuracy = (double) right / fields;
        System.out.printf(Locale.ROOT, "OCR accuracy %s %d px: %d/%d fields exact (%.0f%%), %.0f ms and mean confidence %.1f per screenshot; misses %s%n",
                font.getFamily(), font.getSize(), right, fields, accuracy * 100, (double) millis / ENDPOINTS.size(),
                confidence / ENDPOINTS.size(), misses);
        return accuracy;
    }

    private static int count(boolean right, List<String> misses, String read) {
        if (!right) {
            misses.add(read);
        }
        return right ? 1 : 0;
    }
}
